package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.Toolchain;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TrafficExtensions, Istio 1.30's successor of WasmPlugin, in directory mode with a real Envoy: Lua
 * and Wasm extensions run in one chain with WasmPlugins, ordered by phase and priority, and an edit
 * of the Lua code reaches the proxy as one ECDS update, with no listener update.
 */
class TrafficExtensionIT extends DirectoryFixture {
  private static final Duration CONVERGE = Duration.ofSeconds(40);

  private static String lua(String name, String mark, String extra) {
    return Plugins.luaExtension("shop", name, mark, extra);
  }

  private static String wasm(String name, String extra) {
    return Plugins.wasmExtension("shop", name, extra);
  }

  @Test
  void luaAndWasmExtensionsShareOneChainWithWasmPluginsByPhaseAndPriority() throws Exception {
    Envoy envoy = proxy("web-1", "app", "web");
    controlPlane.write(
        "chain.yaml",
        String.join(
            "---\n",
            lua("lua-authn", mark("lua-authn"), "phase: AUTHN"),
            wasm("wasm-authz", "phase: AUTHZ\npriority: 10"),
            Plugins.chain("shop", "plugin-authz", "phase: AUTHZ\npriority: 5"),
            lua("lua-stats", mark("lua-stats"), "phase: STATS")));

    controlPlane.awaitChain(
        envoy,
        CONVERGE,
        mark("lua-authn"),
        mark("wasm-authz"),
        mark("plugin-authz"),
        mark("lua-stats"));
  }

  @Test
  void aLuaEditIsOneEcdsUpdateAndNoListenerUpdate() throws Exception {
    Envoy envoy = proxy("web-1", "app", "web");
    controlPlane.write("lua.yaml", lua("lua", mark("before"), ""));
    controlPlane.awaitChain(envoy, CONVERGE, mark("before"));
    long listenerUpdates = envoy.stat("listener_manager.lds.update_success");
    assertThat(listenerUpdates).as("listener updates before the edit").isPositive();

    controlPlane.write("lua.yaml", lua("lua", mark("after"), ""));

    controlPlane.awaitChain(envoy, CONVERGE, mark("after"));
    assertThat(envoy.stat("listener_manager.lds.update_success")).isEqualTo(listenerUpdates);
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(controlPlane.get("/debug/plugins"))
                    .contains("trafficextension shop/lua")
                    .contains("inline Lua"));
  }

  @Test
  void theDocumentedLuaExampleRunsUnchangedOnTheGateway() throws Exception {
    Envoy gateway =
        httpProxy(bootstrap("gateway-1", "istio-ingress").label("istio", "ingressgateway"));
    controlPlane.write(
        "example.yaml",
        Files.readString(
            Toolchain.repoRoot().resolve("deploy/examples/traffic-extension-lua.yaml")));

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(
                        Traffic.get(gateway.port("http"), Map.of("x-request-id", "req-42"))
                            .responseHeader("x-request-id"))
                    .containsExactly("req-42"));
  }
}
