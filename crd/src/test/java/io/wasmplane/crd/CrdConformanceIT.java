package io.wasmplane.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.testbed.CommandResult;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies every conformance case, and our own invalid cases, to a real apiserver with the CRD
 * installed, and checks the apiserver and the Java validator agree on each one.
 */
@ExtendWith(KubeApiServerExtension.class)
class CrdConformanceIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * Cases whose field is null. kubectl and the apiserver prune a null field before validation, so
   * the message is the "Required value" of the missing field, not Istio's type error.
   */
  private static final Map<String, String> PRUNED_NULLS =
      Map.of(
          "invalid/11-spec-null.yaml", "spec: Required value",
          "invalid/12-url-null.yaml", "spec.url: Required value");

  @BeforeAll
  static void installCrd(KubeApiServer api) throws Exception {
    WasmPluginCrdInstaller.install(api);
    WasmPluginCrdInstaller.installTrafficExtension(api);
    ConformanceRun.createNamespaces(api, ConformanceRun.allKinds());
  }

  /** Every conformance case, WasmPlugins' and TrafficExtensions'. */
  static Stream<ConformanceCase> conformance() {
    return ConformanceRun.allKinds();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conformance")
  void apiserverAndValidatorGiveTheExpectedVerdict(ConformanceCase c, KubeApiServer api)
      throws Exception {
    CommandResult result = ConformanceRun.dryRunApply(api, c.yaml());
    List<Violation> violations = ConformanceRun.validate(c.yaml());

    if (c.admit()) {
      assertThat(result.ok()).as("apiserver must admit %s: %s", c, result.stderr()).isTrue();
      assertThat(violations).as("validator must admit %s", c).isEmpty();
    } else {
      assertThat(result.ok()).as("apiserver must reject %s", c).isFalse();
      assertThat(violations).as("validator must reject %s", c).isNotEmpty();
      if (PRUNED_NULLS.containsKey(c.name())) {
        assertThat(result.stderr()).as(c.name()).contains(PRUNED_NULLS.get(c.name()));
      } else if (c.expected() != null) {
        assertThat(result.stderr()).as(c.name()).contains(c.expected());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.wasmplane.crd.OwnInvalidCases#cases")
  void apiserverRejectsOwnInvalidCasesWithAReadableMessage(
      String name, String yaml, String field, String words, KubeApiServer api) {
    CommandResult result = ConformanceRun.dryRunApply(api, yaml);

    assertThat(result.ok()).as("apiserver must reject %s", name).isFalse();
    assertThat(result.stderr()).as(name).contains(field).contains(words);
  }
}
