package io.wasmplane.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.istio.extensions.v1alpha1.TrafficExtension;
import io.istio.extensions.v1alpha1.WasmPlugin;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Pins how each kind names its pull Secret and how a Secret maps back to the plugins naming it. */
class PullSecretIndexTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final PullSecretIndex<WasmPlugin> index =
      new WasmPluginReconciler(null, null).pullSecrets();

  private static WasmPlugin plugin(String namespace, String name, String secret) throws Exception {
    String yaml =
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: %s, namespace: %s}
        spec:
          url: oci://registry.example/plugins/%s:v1
        %s"""
            .formatted(name, namespace, name, secret == null ? "" : "  imagePullSecret: " + secret);
    return YAML.readValue(yaml, WasmPlugin.class);
  }

  private static Secret secret(String namespace, String name) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .endMetadata()
        .build();
  }

  @Test
  void aPluginIsIndexedUnderTheSecretItNamesInItsOwnNamespace() throws Exception {
    assertThat(index.keys(plugin("team-a", "auth", "pull"))).containsExactly("team-a/pull");
    assertThat(index.secretOf(plugin("team-a", "auth", "pull")))
        .contains(new ResourceID("pull", "team-a"));
    assertThat(index.keys(plugin("team-a", "open", null))).isEmpty();
    assertThat(index.secretOf(plugin("team-a", "open", null))).isEmpty();
    WasmPlugin noSpec = plugin("team-a", "bare", null);
    noSpec.setSpec(null);
    assertThat(index.keys(noSpec)).isEmpty();
  }

  @Test
  void aSecretMapsToExactlyThePluginsThatNameIt() throws Exception {
    List<WasmPlugin> all =
        List.of(
            plugin("team-a", "auth", "pull"),
            plugin("team-a", "rate", "pull"),
            plugin("team-a", "log", "other"),
            plugin("team-b", "auth", "pull"),
            plugin("team-a", "open", null));
    Map<String, List<WasmPlugin>> byKey =
        all.stream()
            .flatMap(p -> index.keys(p).stream().map(k -> Map.entry(k, p)))
            .collect(
                Collectors.groupingBy(
                    Map.Entry::getKey,
                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));

    assertThat(index.pluginsUsing(secret("team-a", "pull"), k -> byKey.getOrDefault(k, List.of())))
        .containsExactlyInAnyOrder(
            new ResourceID("auth", "team-a"), new ResourceID("rate", "team-a"));
    assertThat(index.pluginsUsing(secret("team-b", "pull"), k -> byKey.getOrDefault(k, List.of())))
        .containsExactly(new ResourceID("auth", "team-b"));
    assertThat(index.pluginsUsing(secret("team-c", "pull"), k -> byKey.getOrDefault(k, List.of())))
        .isEmpty();
    assertThat(index.pluginsUsing(secret("team-a", "other"), k -> byKey.getOrDefault(k, List.of())))
        .containsExactly(new ResourceID("log", "team-a"));
  }

  @Test
  void aTrafficExtensionNamesItsSecretInItsWasmBlockAndALuaOneNone() throws Exception {
    TrafficExtensionReconciler reconciler = new TrafficExtensionReconciler(null, null);
    TrafficExtension wasm =
        YAML.readValue(
            """
            apiVersion: extensions.istio.io/v1alpha1
            kind: TrafficExtension
            metadata: {name: auth, namespace: team-a}
            spec:
              wasm: {url: "oci://registry.example/auth:v1", imagePullSecret: pull}
            """,
            TrafficExtension.class);
    TrafficExtension lua =
        YAML.readValue(
            """
            apiVersion: extensions.istio.io/v1alpha1
            kind: TrafficExtension
            metadata: {name: lua, namespace: team-a}
            spec:
              lua: {inlineCode: "function envoy_on_request(h) end"}
            """,
            TrafficExtension.class);

    assertThat(reconciler.pullSecrets().secretOf(wasm)).contains(new ResourceID("pull", "team-a"));
    assertThat(reconciler.pullSecrets().keys(lua)).isEmpty();
  }
}
