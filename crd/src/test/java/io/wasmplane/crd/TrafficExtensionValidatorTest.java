package io.wasmplane.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** TrafficExtensionValidator gives the CRD's verdicts: conformance cases, urls, Lua bounds. */
class TrafficExtensionValidatorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Violation> validate(String yaml) throws Exception {
    return TrafficExtensionValidator.validate(YAML.readTree(yaml));
  }

  @Test
  void thereAreCasesOfBothVerdicts() {
    assertThat(ConformanceCase.trafficExtensions().filter(ConformanceCase::admit))
        .hasSizeGreaterThan(20);
    assertThat(ConformanceCase.trafficExtensions().filter(c -> !c.admit())).hasSizeGreaterThan(30);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("io.wasmplane.crd.TrafficExtensionCases#urls")
  void appliesIstiosUrlRuleAsGoParsesUrls(String url, boolean admitted) throws Exception {
    List<Violation> violations = validate(TrafficExtensionCases.withUrl(url));
    if (admitted) {
      assertThat(violations).isEmpty();
    } else {
      assertThat(violations)
          .singleElement()
          .satisfies(v -> assertThat(v.field()).isEqualTo("spec.wasm.url"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.wasmplane.crd.TrafficExtensionCases#luaBounds")
  void boundsLuaCodeByCharacters(String name, String yaml, boolean admitted) throws Exception {
    List<Violation> violations = validate(yaml);
    if (admitted) {
      assertThat(violations).isEmpty();
    } else {
      assertThat(violations)
          .containsExactly(
              new Violation("spec.lua.inlineCode", "Too long: may not be more than 65536 bytes"));
    }
  }

  @Test
  void namesEveryProblemUnderWasm() throws Exception {
    List<Violation> violations =
        validate(
            TrafficExtensionCases.extension(
                "many",
                """
                phase: UNSPECIFIED_PHASE
                wasm:
                  url: s3://bucket/f.wasm
                  sha256: XYZ
                  failStrategy: FAIL_CLOSED
                  vmConfig:
                    env:
                    - {name: A, valueFrom: HOST, value: v}
                """));

    assertThat(violations)
        .extracting(Violation::field)
        .containsExactlyInAnyOrder(
            "spec.phase",
            "spec.wasm.url",
            "spec.wasm.sha256",
            "spec.wasm.failStrategy",
            "spec.wasm.vmConfig.env[0]");
  }

  @Test
  void wantsExactlyOneOfWasmAndLua() throws Exception {
    assertThat(validate(TrafficExtensionCases.extension("none", "phase: AUTHN")))
        .containsExactly(
            new Violation("spec", "Invalid value: exactly one of wasm or lua must be set"));
    assertThat(
            validate(
                TrafficExtensionCases.extension(
                    "both", "wasm: {url: oci://r.example/f:1}\nlua: {inlineCode: x}")))
        .extracting(Violation::message)
        .contains("Invalid value: exactly one of wasm or lua must be set");
  }

  @Test
  void leavesWasmPluginOnlyRulesToWasmPlugin() throws Exception {
    String kindOutsideIstiosList =
        "targetRefs:\n- {group: apps, kind: Deployment, name: d}\nlua: {inlineCode: x}";
    assertThat(validate(TrafficExtensionCases.extension("deployment", kindOutsideIstiosList)))
        .isEmpty();
    assertThat(
            WasmPluginValidator.validate(
                YAML.readTree(
                    OwnInvalidCases.plugin(
                        "deployment",
                        "url: oci://r.example/f:1\ntargetRefs:\n- {group: apps, kind: Deployment,"
                            + " name: d}"))))
        .isNotEmpty();
  }
}
