package io.wasmplane.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WasmPluginValidatorTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static List<Violation> validate(String yaml) throws Exception {
    JsonNode node = YAML.readTree(yaml);
    return WasmPluginValidator.validate(node);
  }

  /** Every conformance case, WasmPlugins' and TrafficExtensions', each for its own validator. */
  static Stream<ConformanceCase> conformance() {
    return ConformanceRun.allKinds();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conformance")
  void givesTheConformanceVerdict(ConformanceCase c) throws Exception {
    List<Violation> violations = ConformanceRun.validate(c.yaml());
    if (c.admit()) {
      assertThat(violations).as(c.name()).isEmpty();
    } else {
      assertThat(violations).as(c.name()).isNotEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.wasmplane.crd.OwnInvalidCases#cases")
  void rejectsOwnInvalidCasesNamingTheField(String name, String yaml, String field, String words)
      throws Exception {
    List<Violation> violations = validate(yaml);
    assertThat(violations).as(name).isNotEmpty();
    assertThat(violations)
        .as(name)
        .anySatisfy(
            v -> {
              assertThat(v.field()).isEqualTo(field);
              assertThat(v.message()).contains(words);
            });
  }

  @Test
  void reportsEveryProblemNotOnlyTheFirst() throws Exception {
    List<Violation> violations =
        validate(
            OwnInvalidCases.plugin(
                "many",
                """
                url: gopher://x
                sha256: XYZ
                phase: EARLY
                vmConfig:
                  env:
                  - {name: A, valueFrom: HOST, value: v}
                match:
                - ports: [{number: 0}]
                """));

    assertThat(violations)
        .extracting(Violation::field)
        .contains(
            "spec.url",
            "spec.sha256",
            "spec.phase",
            "spec.vmConfig.env[0]",
            "spec.match[0].ports[0].number");
  }

  @Test
  void acceptsBareRegistryWithPortAndFileUrlWithSingleSlash() throws Exception {
    assertThat(validate(OwnInvalidCases.plugin("a", "url: localhost:5000/plugins/auth:v1")))
        .isEmpty();
    assertThat(validate(OwnInvalidCases.plugin("b", "url: file:/opt/filters/auth.wasm"))).isEmpty();
  }
}
