package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.chain;
import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.WasmFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Directory mode when things fail: trapping plugins, unfetchable modules, bad files and edits. */
class DirectoryFailuresIT extends DirectoryFixture {
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  private static void awaitChain(Envoy envoy, String listener, String... marks) {
    Chains.await(envoy, listener, CONVERGE, marks);
  }

  @Test
  void aTrappingPluginLeavesAHealthyPluginFromTheSameBytesWorking() throws Exception {
    controlPlane.write("healthy.yaml", chain("shop", "healthy", "priority: 1"));
    controlPlane.write(
        "trap.yaml",
        Plugins.plugin(
            "shop",
            "trapper",
            WasmFixtures.HEADER_CHAIN,
            "pluginConfig: {trap: true}\nfailStrategy: FAIL_OPEN\npriority: 2"));
    Envoy envoy = httpProxy(bootstrap("app-1", "shop"));

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> {
              Traffic.Reply reply = Traffic.get(envoy.port("http"));
              assertThat(reply.status()).isEqualTo(200);
              assertThat(reply.chain()).containsExactly(mark("healthy"));
            });
    for (int i = 0; i < 5; i++) {
      assertThat(Traffic.get(envoy.port("http")).chain()).containsExactly(mark("healthy"));
    }
  }

  @Test
  void aTrappingPluginFailsOpenOrClosedAsConfigured() throws Exception {
    controlPlane.write(
        "open.yaml",
        Plugins.plugin("shop", "trap-open", WasmFixtures.TRAP, "failStrategy: FAIL_OPEN"));
    controlPlane.write(
        "closed.yaml",
        Plugins.plugin(
            "shop",
            "trap-closed",
            WasmFixtures.TRAP,
            "selector: {matchLabels: {strict: \"yes\"}}"));
    Envoy lenient = httpProxy(bootstrap("lenient-1", "shop"));
    Envoy strict =
        envoys.start(
            bootstrap("strict-1", "shop")
                .label("strict", "yes")
                .inbound("http", "HTTP", 8080, "app")
                .template());

    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(Traffic.get(lenient.port("http")).status()).isEqualTo(200));
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> assertThat(Traffic.get(strict.port("http")).status()).isBetween(500, 599));
  }

  @Test
  void aNewPluginEnvoyRefusesGetsItsStandInSoListenersStillWarm() throws Exception {
    Envoy envoy = proxy("web-1", "app", "web");
    controlPlane.write("good.yaml", Plugins.chain("shop", "good", ""));
    awaitChain(envoy, "http", mark("good"));
    // A well-formed Wasm module that is no proxy-wasm plugin: Envoy refuses to create the filter.
    Path empty = Files.createTempDirectory("refused-").resolve("empty.wasm");
    Files.write(empty, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    controlPlane.write(
        "refused.yaml",
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: refused, namespace: shop}
        spec: {url: "file://%s", failStrategy: FAIL_OPEN, priority: 5}
        """
            .formatted(empty));

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(controlPlane.get("/debug/proxies"))
                    .contains("extensions.istio.io/wasmplugin/shop.refused")
                    .contains("nackMessage"));
    // Its FAIL_OPEN stand-in fills the slot, so listeners warm: a later plugin reaches the running
    // proxy, and a new proxy serves at all.
    controlPlane.write("later.yaml", Plugins.chain("shop", "later", "priority: -5"));
    awaitChain(envoy, "http", mark("good"), mark("later"));
    Envoy fresh = proxy("web-2", "app", "web");
    awaitChain(fresh, "http", mark("good"), mark("later"));
    Chains.assertEveryRequest(fresh, "http", 20, mark("good"), mark("later"));
  }

  @Test
  void anUnfetchableModuleIsReplacedByItsFailStrategyStandIn() throws Exception {
    controlPlane.write("ok.yaml", chain("shop", "ok", ""));
    controlPlane.write(
        "remote-open.yaml",
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: remote-open, namespace: shop}
        spec:
          url: oci://registry.invalid/plugin:1.0
          failStrategy: FAIL_OPEN
        """);
    Envoy envoy = httpProxy(bootstrap("app-1", "shop"));
    awaitChain(envoy, "http", mark("ok"));

    controlPlane.write(
        "remote-closed.yaml",
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: remote-closed, namespace: shop}
        spec:
          url: https://modules.invalid/plugin.wasm
        """);
    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(Traffic.get(envoy.port("http")).status()).isEqualTo(503));
    assertThat(controlPlane.get("/debug/plugins")).contains("FetchFailed");
  }

  @Test
  void aMalformedFileLeavesTheGoodOnesServing() throws Exception {
    controlPlane.write("good.yaml", chain("shop", "good", ""));
    controlPlane.write(
        "broken.yaml",
        "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\n  bad: [indent\n");
    controlPlane.write(
        "invalid.yaml",
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: invalid, namespace: shop}
        spec:
          url: oci://r.example/p:1
          phase: EARLY
        """);
    Envoy envoy = httpProxy(bootstrap("app-1", "shop"));

    awaitChain(envoy, "http", mark("good"));
    String plugins = controlPlane.get("/debug/plugins");
    assertThat(plugins).contains("broken.yaml").contains("not valid YAML");
    assertThat(plugins).contains("invalid.yaml: WasmPlugin shop/invalid: spec.phase");
  }

  @Test
  void anInvalidEditKeepsTheLastValidVersionServingUntilTheFileIsFixedOrDeleted() throws Exception {
    controlPlane.write("a.yaml", chain("shop", "a", "priority: 2"));
    Envoy envoy = httpProxy(bootstrap("app-1", "shop"));
    awaitChain(envoy, "http", mark("a"));

    controlPlane.write(
        "a.yaml",
        Plugins.plugin(
            "shop",
            "a",
            WasmFixtures.HEADER_CHAIN,
            "pluginConfig: {name: a, v: 2}\npriority: 2\nphase: AUTHX"));
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(controlPlane.get("/debug/plugins"))
                    .contains("a.yaml: WasmPlugin shop/a: spec.phase")
                    .contains("the last valid version keeps serving"));
    controlPlane.write("b.yaml", chain("shop", "b", "priority: 1"));
    awaitChain(envoy, "http", mark("a"), mark("b"));
    for (int i = 0; i < 5; i++) {
      Traffic.Reply reply = Traffic.get(envoy.port("http"));
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.chain()).containsExactly(mark("a"), mark("b"));
    }

    controlPlane.write(
        "a.yaml",
        Plugins.plugin(
            "shop", "a", WasmFixtures.HEADER_CHAIN, "pluginConfig: {name: a, v: 3}\npriority: 2"));
    awaitChain(envoy, "http", "{\"name\":\"a\",\"v\":3}", mark("b"));
    assertThat(controlPlane.get("/debug/plugins")).doesNotContain("a.yaml");

    controlPlane.delete("a.yaml");
    awaitChain(envoy, "http", mark("b"));
  }

  @Test
  void aProxyWithMalformedMetadataIsRefusedWithAClearError() throws Exception {
    controlPlane.write("good.yaml", chain("shop", "good", ""));
    String template =
        bootstrap("app-1", "shop")
            .inbound("http", "HTTP", 8080, "app")
            .template()
            .replace("NAMESPACE: shop", "NAMESPACE: elsewhere");
    Envoy envoy = envoys.start(template);

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(envoy.logTail(200)).contains("does not match the namespace in node.id"));
    assertThat(envoy.stat("listener_manager.lds.update_success")).isLessThanOrEqualTo(0);
  }
}
