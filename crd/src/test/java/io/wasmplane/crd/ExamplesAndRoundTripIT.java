package io.wasmplane.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.istio.extensions.v1alpha1.WasmPlugin;
import io.istio.extensions.v1alpha1.WasmPluginStatus;
import io.istio.extensions.v1alpha1.wasmpluginstatus.Conditions;
import io.istio.extensions.v1alpha1.wasmpluginstatus.Proxies;
import io.wasmplane.testbed.CommandResult;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import io.wasmplane.testbed.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The documented examples apply unchanged, and the Java model round-trips through the apiserver.
 */
@ExtendWith(KubeApiServerExtension.class)
class ExamplesAndRoundTripIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  @BeforeAll
  static void installCrd(KubeApiServer api) {
    WasmPluginCrdInstaller.install(api);
    WasmPluginCrdInstaller.installTrafficExtension(api);
    for (String namespace : List.of("istio-ingress", "roundtrip")) {
      CommandResult created = api.kubectl(null, "create", "namespace", namespace);
      if (!created.ok() && !created.stderr().contains("AlreadyExists")) {
        created.orThrow();
      }
    }
  }

  static Stream<Path> examples() throws Exception {
    try (Stream<Path> files = Files.list(Toolchain.repoRoot().resolve("deploy/examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleAppliesUnchangedAndPassesTheValidator(Path example, KubeApiServer api)
      throws Exception {
    CommandResult result = api.kubectl(null, "apply", "--dry-run=server", "-f", example.toString());
    assertThat(result.ok()).as("%s: %s", example, result.stderr()).isTrue();

    int plugins = 0;
    for (JsonNode doc :
        YAML.readValues(YAML.createParser(example.toFile()), JsonNode.class).readAll()) {
      String kind = doc.path("kind").asText();
      if (kind.equals("WasmPlugin")) {
        plugins++;
        assertThat(WasmPluginValidator.validate(doc)).as(example.toString()).isEmpty();
      } else if (kind.equals("TrafficExtension")) {
        plugins++;
        assertThat(TrafficExtensionValidator.validate(doc)).as(example.toString()).isEmpty();
      }
    }
    assertThat(plugins).as("WasmPlugins and TrafficExtensions in %s", example).isPositive();
  }

  @Test
  void pluginConfigAndStatusRoundTripThroughTheApiserver(KubeApiServer api) throws Exception {
    String yaml =
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: nested, namespace: roundtrip}
        spec:
          url: oci://registry.example/plugin:1.0
          priority: -5
          pluginConfig:
            zeta: {list: [1, 2.5, "three", true, null, {deep: {deeper: [[]]}}]}
            alpha: "text"
            count: 42
            ratio: 0.25
            empty: {}
        """;
    JsonNode original = YAML.readTree(yaml);
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(api.kubeconfigYaml()))
            .build()) {
      WasmPlugin plugin = YAML.treeToValue(original, WasmPlugin.class);
      client.resource(plugin).create();

      WasmPlugin stored =
          client.resources(WasmPlugin.class).inNamespace("roundtrip").withName("nested").get();
      assertThat((JsonNode) JSON.valueToTree(stored.getSpec().getPluginConfig()))
          .isEqualTo(original.path("spec").path("pluginConfig"));
      assertThat(stored.getSpec().getPriority()).isEqualTo(-5);

      WasmPluginStatus status = new WasmPluginStatus();
      Conditions accepted = new Conditions();
      accepted.setType(io.wasmplane.crd.Conditions.ACCEPTED);
      accepted.setStatus("True");
      accepted.setReason("Valid");
      accepted.setMessage("the spec is valid");
      accepted.setLastTransitionTime(java.time.ZonedDateTime.parse("2026-01-02T03:04:05Z"));
      accepted.setObservedGeneration(stored.getMetadata().getGeneration());
      status.setConditions(List.of(accepted));
      status.setObservedGeneration(stored.getMetadata().getGeneration());
      status.setModuleDigest("a".repeat(64));
      Proxies proxies = new Proxies();
      proxies.setSelected(3);
      proxies.setAcked(2);
      proxies.setNacked(1);
      status.setProxies(proxies);
      status.setLastNackMessage("wasm: failed to load");
      stored.setStatus(status);
      client.resource(stored).updateStatus();

      WasmPlugin reread =
          client.resources(WasmPlugin.class).inNamespace("roundtrip").withName("nested").get();
      JsonNode expected = JSON.valueToTree(status);
      assertThat((JsonNode) JSON.valueToTree(reread.getStatus())).isEqualTo(expected);
    }
  }
}
