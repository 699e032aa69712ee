package io.wasmplane.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.config.ConfigSnapshot;
import io.wasmplane.operator.plugin.PluginKind;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ReconciledPluginsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static PluginReading reading(String name, String spec) throws Exception {
    return PluginReading.read(
        PluginKind.WASM_PLUGIN,
        YAML.readTree(
            """
            apiVersion: extensions.istio.io/v1alpha1
            kind: WasmPlugin
            metadata: {name: %s, namespace: team-a, generation: 1}
            spec:
            %s"""
                .formatted(name, spec.indent(2))),
        null);
  }

  @Test
  void theFirstConfigurationWaitsForEveryCachedPluginThenChangesFollow() throws Exception {
    List<ConfigSnapshot> published = new CopyOnWriteArrayList<>();
    PluginRef a = new PluginRef("team-a", "a");
    PluginRef b = new PluginRef("team-a", "b");
    try (ReconciledPlugins plugins = new ReconciledPlugins(published::add, Duration.ofMillis(10))) {
      plugins.expect(() -> java.util.stream.Stream.of(a, b));
      plugins.started();
      plugins.put(a, reading("a", "url: file:///a.wasm"));
      // b is cached but not yet reconciled: nothing may go out, however long we wait for it.
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(published::isEmpty);

      plugins.put(b, reading("b", "url: file:///b.wasm\npriority: 5"));
      await().until(() -> published.size() == 1);
      assertThat(published.get(0).plugins()).extracting(PluginSpec::name).containsExactly("a", "b");

      plugins.remove(a);
      await().until(() -> published.size() == 2);
      assertThat(published.get(1).plugins()).extracting(PluginSpec::name).containsExactly("b");
    }
  }

  @Test
  void anInvalidPluginIsAProblemAndTheOthersStay() throws Exception {
    List<ConfigSnapshot> published = new CopyOnWriteArrayList<>();
    PluginRef good = new PluginRef("team-a", "good");
    PluginRef bad = new PluginRef("team-a", "bad");
    try (ReconciledPlugins plugins = new ReconciledPlugins(published::add, Duration.ofMillis(10))) {
      plugins.expect(() -> java.util.stream.Stream.of(good, bad));
      plugins.put(good, reading("good", "url: file:///good.wasm"));
      plugins.put(bad, reading("bad", "url: ftp://nowhere/bad.wasm"));
      plugins.started();
      await().until(() -> published.size() == 1);
      ConfigSnapshot snapshot = published.get(0);
      assertThat(snapshot.plugins()).extracting(PluginSpec::name).containsExactly("good");
      assertThat(snapshot.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.resource()).isEqualTo("WasmPlugin team-a/bad");
                assertThat(p.field()).isEqualTo("spec.url");
              });
    }
  }

  @Test
  void anUnreadablePluginStillCountsAsReconciledSoTheFirstConfigurationGoesOut() throws Exception {
    List<ConfigSnapshot> published = new CopyOnWriteArrayList<>();
    PluginRef good = new PluginRef("team-a", "good");
    PluginRef odd = new PluginRef("team-a", "odd");
    try (ReconciledPlugins plugins = new ReconciledPlugins(published::add, Duration.ofMillis(10))) {
      plugins.expect(() -> java.util.stream.Stream.of(good, odd));
      plugins.started();
      plugins.put(good, reading("good", "url: file:///good.wasm"));
      plugins.put(odd, PluginReading.unreadable("WasmPlugin team-a/odd", 1, "boom"));
      await().until(() -> published.size() == 1);
      assertThat(published.get(0).plugins()).extracting(PluginSpec::name).containsExactly("good");
      assertThat(published.get(0).problems())
          .singleElement()
          .hasToString("kubernetes: WasmPlugin team-a/odd: cannot be read: boom");
    }
  }

  @Test
  void theFirstConfigurationWaitsForBothKindsAndTheyShareOneSnapshot() throws Exception {
    List<ConfigSnapshot> published = new CopyOnWriteArrayList<>();
    PluginRef plugin = new PluginRef("team-a", "same");
    PluginRef extension = new PluginRef(PluginKind.TRAFFIC_EXTENSION, "team-a", "same");
    try (ReconciledPlugins plugins = new ReconciledPlugins(published::add, Duration.ofMillis(10))) {
      plugins.expect(() -> java.util.stream.Stream.of(plugin));
      plugins.expect(() -> java.util.stream.Stream.of(extension));
      plugins.started();
      plugins.put(plugin, reading("same", "url: file:///a.wasm"));
      // The TrafficExtension cache holds one not yet reconciled: nothing may go out.
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(published::isEmpty);

      plugins.put(
          extension,
          PluginReading.read(
              PluginKind.TRAFFIC_EXTENSION,
              YAML.readTree(
                  """
                  apiVersion: extensions.istio.io/v1alpha1
                  kind: TrafficExtension
                  metadata: {name: same, namespace: team-a, generation: 4}
                  spec:
                    lua: {inlineCode: "function envoy_on_request(h) end"}
                  """),
              null));
      await().until(() -> published.size() == 1);
      ConfigSnapshot snapshot = published.get(0);
      assertThat(snapshot.plugins())
          .extracting(PluginSpec::ref)
          .containsExactlyInAnyOrder(plugin, extension);
      assertThat(snapshot.generations()).containsEntry(plugin, 1L).containsEntry(extension, 4L);
    }
  }

  @Test
  void anInvalidUpdateKeepsTheLastValidVersionServingAndSaysSo() throws Exception {
    List<ConfigSnapshot> published = new CopyOnWriteArrayList<>();
    PluginRef lua = new PluginRef(PluginKind.TRAFFIC_EXTENSION, "team-a", "lua");
    try (ReconciledPlugins plugins = new ReconciledPlugins(published::add, Duration.ofMillis(10))) {
      plugins.put(lua, luaReading(1, "function envoy_on_request(h) end"));
      plugins.started();
      await().until(() -> published.size() == 1);

      plugins.put(lua, luaReading(2, "function envoy_on_request(h"));
      await().until(() -> published.size() == 2);
      ConfigSnapshot kept = published.get(1);
      assertThat(kept.plugins())
          .singleElement()
          .satisfies(p -> assertThat(p.generation()).isEqualTo(1));
      assertThat(kept.generations()).containsEntry(lua, 2L);
      assertThat(kept.problems())
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.message())
                      .startsWith("Lua syntax error: line 1:")
                      .endsWith(ConfigProblem.KEEPS_SERVING));

      plugins.remove(lua);
      plugins.put(lua, luaReading(3, "function envoy_on_request(h"));
      await().until(() -> published.size() == 3);
      assertThat(published.get(2).plugins())
          .as("a deleted plugin has no last valid version")
          .isEmpty();
      assertThat(published.get(2).problems().get(0).message())
          .doesNotEndWith(ConfigProblem.KEEPS_SERVING);
    }
  }

  private static PluginReading luaReading(long generation, String code) throws Exception {
    return PluginReading.read(
        PluginKind.TRAFFIC_EXTENSION,
        YAML.readTree(
            """
            apiVersion: extensions.istio.io/v1alpha1
            kind: TrafficExtension
            metadata: {name: lua, namespace: team-a, generation: %d}
            spec:
              lua: {inlineCode: %s}
            """
                .formatted(generation, YAML.writeValueAsString(code).replace("---", "").trim())),
        null);
  }
}
