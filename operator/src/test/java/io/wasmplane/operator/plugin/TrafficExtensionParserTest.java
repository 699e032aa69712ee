package io.wasmplane.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.operator.plan.ExtensionFactory;
import io.wasmplane.xds.ModuleSource;
import org.junit.jupiter.api.Test;

/** Pins how a TrafficExtension becomes a plugin: its wasm block as a WasmPlugin, or Lua code. */
class TrafficExtensionParserTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode read(String yaml) throws Exception {
    return YAML.readTree(yaml);
  }

  @Test
  void aWasmBlockMeansWhatAWasmPluginsFieldsMean() throws Exception {
    PluginSpec plugin =
        PluginParser.parseTrafficExtension(
            read(
                """
                apiVersion: extensions.istio.io/v1alpha1
                kind: TrafficExtension
                metadata: {name: auth, namespace: shop}
                spec:
                  selector: {matchLabels: {app: web}}
                  phase: AUTHN
                  priority: 7
                  wasm:
                    url: oci://registry.example/auth:1.0
                    imagePullPolicy: Always
                    imagePullSecret: pull
                    pluginConfig: {issuer: x}
                    failStrategy: FAIL_OPEN
                """));

    assertThat(plugin.ref()).isEqualTo(new PluginRef(PluginKind.TRAFFIC_EXTENSION, "shop", "auth"));
    assertThat(plugin.ref().toString()).isEqualTo("trafficextension shop/auth");
    assertThat(plugin.url().rest()).isEqualTo("registry.example/auth:1.0");
    assertThat(plugin.pullPolicy()).isEqualTo(PullPolicy.ALWAYS);
    assertThat(plugin.pullSecret()).isEqualTo("pull");
    assertThat(plugin.configuration()).isEqualTo("{\"issuer\":\"x\"}");
    assertThat(plugin.failStrategy()).isEqualTo(FailStrategy.FAIL_OPEN);
    assertThat(plugin.phase()).isEqualTo(Phase.AUTHN);
    assertThat(plugin.priority()).isEqualTo(7);
    assertThat(plugin.selector()).containsEntry("app", "web");
    assertThat(plugin.lua()).isNull();
    assertThat(ExtensionFactory.wasm(plugin, new ModuleSource.LocalFile("/x.wasm")).name())
        .isEqualTo("extensions.istio.io/trafficextension/shop.auth");
  }

  @Test
  void luaHasItsCodeAndNoModule() throws Exception {
    PluginSpec plugin =
        PluginParser.parseTrafficExtension(
            read(
                """
                apiVersion: extensions.istio.io/v1alpha1
                kind: TrafficExtension
                metadata: {name: parity, namespace: istio-system}
                spec:
                  phase: UNSPECIFIED
                  priority: 99999999999
                  lua:
                    inlineCode: |
                      function envoy_on_request(h) end
                """));

    assertThat(plugin.lua()).isEqualTo("function envoy_on_request(h) end\n");
    assertThat(plugin.url()).isNull();
    assertThat(plugin.source()).isEqualTo("inline Lua");
    assertThat(plugin.phase()).isEqualTo(Phase.UNSPECIFIED);
    assertThat(plugin.priority()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void aWasmPluginAndATrafficExtensionOfOneNameAreDifferentPlugins() throws Exception {
    PluginSpec wasmPlugin =
        PluginParser.parse(
            read(
                """
                apiVersion: extensions.istio.io/v1alpha1
                kind: WasmPlugin
                metadata: {name: auth, namespace: shop}
                spec: {url: "file:///auth.wasm"}
                """));
    PluginSpec extension =
        PluginParser.parseTrafficExtension(
            read(
                """
                apiVersion: extensions.istio.io/v1alpha1
                kind: TrafficExtension
                metadata: {name: auth, namespace: shop}
                spec: {wasm: {url: "file:///auth.wasm"}}
                """));

    assertThat(wasmPlugin.ref()).isNotEqualTo(extension.ref());
    assertThat(wasmPlugin.ref().compareTo(extension.ref())).isNegative();
  }
}
