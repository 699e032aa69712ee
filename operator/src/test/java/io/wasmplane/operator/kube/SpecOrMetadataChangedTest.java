package io.wasmplane.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.istio.extensions.v1alpha1.WasmPlugin;
import io.istio.extensions.v1alpha1.WasmPluginStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecOrMetadataChangedTest {
  private final SpecOrMetadataChanged filter = new SpecOrMetadataChanged();

  private static WasmPlugin plugin(
      long generation,
      String resourceVersion,
      Map<String, String> labels,
      Map<String, String> annotations) {
    WasmPlugin plugin = new WasmPlugin();
    plugin.setMetadata(
        new ObjectMetaBuilder()
            .withName("auth")
            .withNamespace("team-a")
            .withGeneration(generation)
            .withResourceVersion(resourceVersion)
            .withLabels(labels)
            .withAnnotations(annotations)
            .build());
    return plugin;
  }

  @Test
  void aStatusWriteOrResyncIsDropped() {
    WasmPlugin before = plugin(3, "100", Map.of("app", "a"), Map.of("note", "x"));
    WasmPlugin after = plugin(3, "101", Map.of("app", "a"), Map.of("note", "x"));
    after.setStatus(new WasmPluginStatus());
    assertThat(filter.accept(after, before)).isFalse();
    assertThat(filter.accept(before, before)).isFalse();
  }

  @Test
  void aSpecLabelOrAnnotationChangeGoesThrough() {
    WasmPlugin before = plugin(3, "100", Map.of("app", "a"), Map.of("note", "x"));
    assertThat(filter.accept(plugin(4, "101", Map.of("app", "a"), Map.of("note", "x")), before))
        .isTrue();
    assertThat(filter.accept(plugin(3, "101", Map.of("app", "b"), Map.of("note", "x")), before))
        .isTrue();
    assertThat(filter.accept(plugin(3, "101", Map.of("app", "a"), Map.of("note", "y")), before))
        .isTrue();
  }
}
