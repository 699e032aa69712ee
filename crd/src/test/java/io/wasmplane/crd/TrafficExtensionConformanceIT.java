package io.wasmplane.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.testbed.CommandResult;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies every TrafficExtension conformance case, and our own url and Lua cases, to a real
 * apiserver with the TrafficExtension CRD installed, and checks the apiserver and the Java
 * validator agree on each one.
 */
@ExtendWith(KubeApiServerExtension.class)
class TrafficExtensionConformanceIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @BeforeAll
  static void installCrd(KubeApiServer api) throws Exception {
    WasmPluginCrdInstaller.installTrafficExtension(api);
    Set<String> namespaces = new TreeSet<>();
    for (ConformanceCase c : ConformanceCase.trafficExtensions().toList()) {
      namespaces.add(YAML.readTree(c.yaml()).path("metadata").path("namespace").asText());
    }
    for (String namespace : namespaces) {
      CommandResult created = api.kubectl(null, "create", "namespace", namespace);
      if (!created.ok() && !created.stderr().contains("AlreadyExists")) {
        created.orThrow();
      }
    }
  }

  static Stream<ConformanceCase> conformance() {
    return ConformanceCase.trafficExtensions();
  }

  private static CommandResult dryRunApply(KubeApiServer api, String yaml) {
    return api.kubectl(yaml, "apply", "--dry-run=server", "-f", "-");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conformance")
  void apiserverAndValidatorGiveTheExpectedVerdict(ConformanceCase c, KubeApiServer api)
      throws Exception {
    CommandResult result = dryRunApply(api, c.yaml());
    List<Violation> violations = TrafficExtensionValidator.validate(YAML.readTree(c.yaml()));

    if (c.admit()) {
      assertThat(result.ok()).as("apiserver must admit %s: %s", c, result.stderr()).isTrue();
      assertThat(violations).as("validator must admit %s", c).isEmpty();
    } else {
      assertThat(result.ok()).as("apiserver must reject %s", c).isFalse();
      assertThat(violations).as("validator must reject %s", c).isNotEmpty();
      assertThat(result.stderr()).as(c.name()).contains(c.expected());
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("io.wasmplane.crd.TrafficExtensionCases#urls")
  void apiserverAndValidatorAgreeOnUrls(String url, boolean admitted, KubeApiServer api)
      throws Exception {
    String yaml = TrafficExtensionCases.withUrl(url);
    CommandResult result = dryRunApply(api, yaml);

    assertThat(result.ok()).as("apiserver on %s: %s", url, result.stderr()).isEqualTo(admitted);
    assertThat(TrafficExtensionValidator.validate(YAML.readTree(yaml)).isEmpty())
        .as("validator on %s", url)
        .isEqualTo(admitted);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.wasmplane.crd.TrafficExtensionCases#luaBounds")
  void apiserverAndValidatorAgreeOnLuaSize(
      String name, String yaml, boolean admitted, KubeApiServer api) throws Exception {
    CommandResult result = dryRunApply(api, yaml);

    assertThat(result.ok()).as("apiserver on %s: %s", name, result.stderr()).isEqualTo(admitted);
    assertThat(TrafficExtensionValidator.validate(YAML.readTree(yaml)).isEmpty())
        .as("validator on %s", name)
        .isEqualTo(admitted);
  }
}
