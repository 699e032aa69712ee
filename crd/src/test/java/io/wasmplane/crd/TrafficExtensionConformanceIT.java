package io.wasmplane.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.testbed.CommandResult;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
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
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("io.wasmplane.crd.TrafficExtensionCases#urls")
  void apiserverAndValidatorAgreeOnUrls(String url, boolean admitted, KubeApiServer api)
      throws Exception {
    String yaml = TrafficExtensionCases.withUrl(url);
    CommandResult result = ConformanceRun.dryRunApply(api, yaml);

    assertThat(result.ok()).as("apiserver on %s: %s", url, result.stderr()).isEqualTo(admitted);
    assertThat(TrafficExtensionValidator.validate(YAML.readTree(yaml)).isEmpty())
        .as("validator on %s", url)
        .isEqualTo(admitted);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.wasmplane.crd.TrafficExtensionCases#luaBounds")
  void apiserverAndValidatorAgreeOnLuaSize(
      String name, String yaml, boolean admitted, KubeApiServer api) throws Exception {
    CommandResult result = ConformanceRun.dryRunApply(api, yaml);

    assertThat(result.ok()).as("apiserver on %s: %s", name, result.stderr()).isEqualTo(admitted);
    assertThat(TrafficExtensionValidator.validate(YAML.readTree(yaml)).isEmpty())
        .as("validator on %s", name)
        .isEqualTo(admitted);
  }
}
