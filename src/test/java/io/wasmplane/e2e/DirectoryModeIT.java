package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.chain;
import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.SidecarBootstrap;
import io.wasmplane.testbed.TcpEchoUpstream;
import io.wasmplane.testbed.WasmFixtures;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WasmPlugin files in a directory, the real control plane and real Envoys, checked by traffic. */
class DirectoryModeIT extends DirectoryFixture {
  private static final Duration CONVERGE = Duration.ofSeconds(30);

  private Envoy gateway() {
    return envoys.start(
        bootstrap("gw-1", "istio-ingress")
            .label("istio", "ingressgateway")
            .inbound("http", "HTTP", 8080, "app")
            .template());
  }

  private static void awaitChain(Envoy envoy, String listener, String... marks) {
    Chains.await(envoy, listener, CONVERGE, marks);
  }

  private void writeThreePluginChain() throws Exception {
    String selector = "selector: {matchLabels: {istio: ingressgateway}}\n";
    controlPlane.write(
        "chain.yaml",
        String.join(
            "---\n",
            chain("istio-ingress", "check-header", selector + "phase: AUTHZ\npriority: 10"),
            chain("istio-ingress", "openid-connect", selector + "phase: AUTHN"),
            chain("istio-ingress", "acl-check", selector + "phase: AUTHZ\npriority: 1000")));
  }

  @Test
  void threePluginExampleRunsInPhaseAndPriorityOrder() throws Exception {
    writeThreePluginChain();
    Envoy envoy = gateway();

    awaitChain(envoy, "http", mark("openid-connect"), mark("acl-check"), mark("check-header"));
    String debug = controlPlane.get("/debug/proxies");
    assertThat(debug)
        .contains("gw-1.istio-ingress")
        .contains("extensions.istio.io/wasmplugin/istio-ingress.openid-connect");
  }

  @Test
  void editingAPriorityReordersTheLiveChain() throws Exception {
    writeThreePluginChain();
    Envoy envoy = gateway();
    awaitChain(envoy, "http", mark("openid-connect"), mark("acl-check"), mark("check-header"));

    controlPlane.write(
        "chain.yaml",
        String.join(
            "---\n",
            chain("istio-ingress", "check-header", "phase: AUTHZ\npriority: 5000"),
            chain("istio-ingress", "openid-connect", "phase: AUTHN"),
            chain("istio-ingress", "acl-check", "phase: AUTHZ\npriority: 1000")));

    awaitChain(envoy, "http", mark("openid-connect"), mark("check-header"), mark("acl-check"));
    assertThat(envoy.process().isAlive()).as("the same Envoy keeps running").isTrue();
  }

  @Test
  void editingPluginConfigIsPushedThroughEcdsAloneWithoutAnLdsChange() throws Exception {
    controlPlane.write("a.yaml", chain("istio-ingress", "a", ""));
    Envoy envoy = gateway();
    awaitChain(envoy, "http", mark("a"));
    long ldsUpdates = envoy.stat("listener_manager.lds.update_success");
    long listenersModified = envoy.stat("listener_manager.listener_modified");
    assertThat(ldsUpdates).as("listener updates so far").isPositive();
    assertThat(listenersModified).as("Envoy counts listener modifications").isNotNegative();
    String ldsVersion = ldsVersion();

    controlPlane.write(
        "a.yaml",
        Plugins.plugin(
            "istio-ingress", "a", WasmFixtures.HEADER_CHAIN, "pluginConfig: {name: a, v: 2}"));

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(Traffic.get(envoy.port("http")).chain())
                    .containsExactly("{\"name\":\"a\",\"v\":2}"));
    assertThat(envoy.stat("listener_manager.lds.update_success")).isEqualTo(ldsUpdates);
    assertThat(envoy.stat("listener_manager.listener_modified")).isEqualTo(listenersModified);
    assertThat(ldsVersion()).isEqualTo(ldsVersion);
  }

  private String ldsVersion() throws Exception {
    String debug = controlPlane.get("/debug/proxies");
    int lds = debug.indexOf("\"lds\"");
    int current = debug.indexOf("\"current\" : \"", lds) + "\"current\" : \"".length();
    return debug.substring(current, debug.indexOf('"', current));
  }

  @Test
  void deletingAFileRemovesItsPlugin() throws Exception {
    controlPlane.write("a.yaml", chain("istio-ingress", "a", "priority: 2"));
    controlPlane.write("b.yaml", chain("istio-ingress", "b", "priority: 1"));
    Envoy envoy = gateway();
    awaitChain(envoy, "http", mark("a"), mark("b"));

    controlPlane.delete("a.yaml");

    awaitChain(envoy, "http", mark("b"));
  }

  @Test
  void selectorsAndTheRootNamespaceDecideWhichProxiesRunAPlugin() throws Exception {
    controlPlane.write("global.yaml", chain("istio-system", "global", "priority: 100"));
    controlPlane.write(
        "web-only.yaml", chain("shop", "web-only", "selector: {matchLabels: {app: web}}"));
    controlPlane.write("shop-all.yaml", chain("shop", "shop-all", ""));
    Envoy web = httpProxy(bootstrap("web-1", "shop").label("app", "web"));
    Envoy cart = httpProxy(bootstrap("cart-1", "shop").label("app", "cart"));
    Envoy other = httpProxy(bootstrap("web-1", "other").label("app", "web"));

    awaitChain(web, "http", mark("global"), mark("shop-all"), mark("web-only"));
    awaitChain(cart, "http", mark("global"), mark("shop-all"));
    awaitChain(other, "http", mark("global"));
  }

  @Test
  void matchModesAndPortsPickListeners() throws Exception {
    controlPlane.write("server.yaml", chain("shop", "server", "match: [{mode: SERVER}]"));
    controlPlane.write("client.yaml", chain("shop", "client", "match: [{mode: CLIENT}]"));
    controlPlane.write(
        "port.yaml",
        chain("shop", "port-8080", "match: [{mode: SERVER, ports: [{number: 8080}]}]"));
    controlPlane.write(
        "out-port.yaml",
        chain("shop", "out-port", "match: [{mode: CLIENT, ports: [{number: 1}]}]"));
    Envoy envoy =
        envoys.start(
            bootstrap("app-1", "shop")
                .inbound("in-8080", "HTTP", 8080, "app")
                .inbound("in-9090", "HTTP", 9090, "app")
                .outbound("out", "HTTP", "app")
                .template());

    awaitChain(envoy, "in-8080", mark("port-8080"), mark("server"));
    awaitChain(envoy, "in-9090", mark("server"));
    awaitChain(envoy, "out", mark("client"));
  }

  @Test
  void networkPluginRunsOnATcpListener() throws Exception {
    controlPlane.write(
        "tcp.yaml",
        Plugins.plugin(
            "shop", "tcp-tag", WasmFixtures.TCP_PREFIX, "type: NETWORK\npluginConfig: {tag: t1}"));
    try (TcpEchoUpstream echo = TcpEchoUpstream.start()) {
      Envoy envoy =
          envoys.start(
              SidecarBootstrap.proxy("db-1", "shop")
                  .controlPlane(controlPlane.xdsPort(), controlPlane.httpPort())
                  .cluster("db", echo.port())
                  .inbound("tcp", "TCP", 5432, "db")
                  .template());

      String prefix = "{\"tag\":\"t1\"}";
      await()
          .atMost(CONVERGE)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(tcpRoundTrip(envoy.port("tcp"), "ping", prefix.length() + 4))
                      .isEqualTo(prefix + "ping"));
    }
  }

  private static String tcpRoundTrip(int port, String message, int expectedLength)
      throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      out.write(message.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(expectedLength), StandardCharsets.UTF_8);
    }
  }

  @Test
  void vmEnvReachesEachPluginSeparately() throws Exception {
    String envA =
        "vmConfig:\n  env:\n  - {name: WHO, value: first}\n  - {name: POD_NAME, valueFrom: HOST}\npriority: 2";
    String envB = "vmConfig:\n  env:\n  - {name: WHO, value: second}\npriority: 1";
    controlPlane.write("a.yaml", Plugins.plugin("shop", "env-a", WasmFixtures.ENV_HEADER, envA));
    controlPlane.write("b.yaml", Plugins.plugin("shop", "env-b", WasmFixtures.ENV_HEADER, envB));
    Envoy envoy =
        envoys.start(
            bootstrap("app-1", "shop").inbound("http", "HTTP", 8080, "app").template(),
            Map.of("POD_NAME", "app-1-pod"));

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> {
              Traffic.Reply reply = Traffic.get(envoy.port("http"));
              assertThat(reply.header("x-wasmplane-env"))
                  .containsExactly("POD_NAME=app-1-pod;WHO=first", "WHO=second");
            });
  }
}
