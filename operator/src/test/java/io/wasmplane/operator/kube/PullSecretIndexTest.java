package io.wasmplane.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.istio.extensions.v1alpha1.WasmPlugin;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PullSecretIndexTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
    assertThat(PullSecretIndex.keys(plugin("team-a", "auth", "pull")))
        .containsExactly("team-a/pull");
    assertThat(PullSecretIndex.secretOf(plugin("team-a", "auth", "pull")))
        .contains(new ResourceID("pull", "team-a"));
    assertThat(PullSecretIndex.keys(plugin("team-a", "open", null))).isEmpty();
    assertThat(PullSecretIndex.secretOf(plugin("team-a", "open", null))).isEmpty();
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
    Map<String, List<WasmPlugin>> index =
        all.stream()
            .flatMap(p -> PullSecretIndex.keys(p).stream().map(k -> Map.entry(k, p)))
            .collect(
                Collectors.groupingBy(
                    Map.Entry::getKey,
                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));

    assertThat(
            PullSecretIndex.pluginsUsing(
                secret("team-a", "pull"), k -> index.getOrDefault(k, List.of())))
        .containsExactlyInAnyOrder(
            new ResourceID("auth", "team-a"), new ResourceID("rate", "team-a"));
    assertThat(
            PullSecretIndex.pluginsUsing(
                secret("team-b", "pull"), k -> index.getOrDefault(k, List.of())))
        .containsExactly(new ResourceID("auth", "team-b"));
    assertThat(
            PullSecretIndex.pluginsUsing(
                secret("team-c", "pull"), k -> index.getOrDefault(k, List.of())))
        .isEmpty();
    assertThat(
            PullSecretIndex.pluginsUsing(
                secret("team-a", "other"), k -> index.getOrDefault(k, List.of())))
        .containsExactly(new ResourceID("log", "team-a"));
  }
}
