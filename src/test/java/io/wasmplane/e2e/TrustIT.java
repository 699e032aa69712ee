package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.ModuleServer;
import io.wasmplane.testbed.WasmFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proxies prove which Pod they are, on a real apiserver with TokenRequest and TokenReview: a
 * Pod-bound ServiceAccount token with audience wasmplane, sent by Envoy's credential injector from
 * a file it re-reads.
 */
class TrustIT extends KubernetesFixture {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private String node(String pod) {
    return pod + "." + namespace;
  }

  @Test
  void aCallerWithoutAValidPodTokenGetsNothing() {
    ns.pod("web-1", "app: web");
    ns.apply(Plugins.chain(namespace, "guard", ""));
    String otherAudience = ns.token("web-1", "another-audience");
    for (String token : new String[] {null, "not-a-token", otherAudience}) {
      try (AdsProbe probe = AdsProbe.open(ns, operator.xdsPort(), node("web-1"), token)) {
        Status status = probe.awaitRefusal(CONVERGE);
        assertThat(status.getCode()).as("token %s", token).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription())
            .contains(token == null ? "no bearer token" : "the token was not accepted");
        assertThat(probe.responses()).isEmpty();
      }
    }
  }

  @Test
  void podATokenClaimingPodBGetsNothingAndItsOwnNodeGetsItsListeners() {
    ns.pod("pod-a", "app: web");
    ns.pod("pod-b", "app: web");
    ns.apply(Plugins.chain(namespace, "guard", ""));
    String tokenA = ns.token("pod-a", "wasmplane");
    try (AdsProbe probe = AdsProbe.open(ns, operator.xdsPort(), node("pod-b"), tokenA)) {
      Status status = probe.awaitRefusal(CONVERGE);
      assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(status.getDescription())
          .isEqualTo("the token is Pod " + namespace + "/pod-a's, not " + node("pod-b") + "'s");
      assertThat(probe.responses()).isEmpty();
    }
    try (AdsProbe probe = AdsProbe.open(ns, operator.xdsPort(), node("pod-a"), tokenA)) {
      assertThat(probe.awaitResponse(CONVERGE).getTypeUrl()).isEqualTo(FleetProxy.LDS);
    }
  }

  @Test
  void theModuleServerWantsTheTokenOfTheProxyItServes() throws Exception {
    ns.pod("web-1", "app: web");
    ns.pod("web-2", "app: other");
    try (ModuleServer modules =
        ModuleServer.fixtures(Map.of("/chain.wasm", WasmFixtures.HEADER_CHAIN))) {
      ns.apply(
          Plugins.chain(namespace, "guard", "selector: {matchLabels: {app: web}}")
              .replace(
                  "file://" + WasmFixtures.path(WasmFixtures.HEADER_CHAIN),
                  modules.url("/chain.wasm")));
      Envoy envoy = ns.proxy(envoys, "web-1", operator, upstream);
      awaitChain(envoy, mark("guard"));
      ns.proxy(envoys, "web-2", operator, upstream);
      await().atMost(CONVERGE).until(() -> operator.xds().sessions().size() == 2);

      String module = WasmFixtures.sha256(WasmFixtures.HEADER_CHAIN);
      String ownToken = ns.token("web-1", "wasmplane");
      String otherToken = ns.token("web-2", "wasmplane");
      assertThat(fetch(module, "web-1", null)).isEqualTo(401);
      assertThat(fetch(module, "web-1", "forged")).isEqualTo(401);
      assertThat(fetch(module, "web-1", otherToken)).isEqualTo(403);
      assertThat(fetch(module, "web-1", ownToken)).isEqualTo(200);
      // web-2 is selected by no plugin: even its own token gets it no module.
      assertThat(fetch(module, "web-2", otherToken)).isEqualTo(404);
      try (TestNamespace elsewhere = TestNamespace.create(api, "other")) {
        elsewhere.pod("stranger", "app: web");
        String stranger = elsewhere.token("stranger", "wasmplane");
        // Not connected here, and no proxy of its namespace runs the module.
        assertThat(fetch(module, "stranger." + elsewhere.name(), stranger)).isEqualTo(404);
      }
    }
  }

  @Test
  void aRotatedTokenIsSentWhenTheStreamReconnects() throws Exception {
    operator.close();
    operator = ns.startOperator("--xds-max-connection-age", "2s");
    ns.pod("web-1", "app: web");
    ns.apply(Plugins.chain(namespace, "guard", ""));
    Path sds = TestNamespace.tokenSecret(ns.token("web-1", "wasmplane"));
    Envoy envoy =
        envoys.start(
            ns.sidecar("web-1", operator.xdsPort(), operator.httpPort())
                .token(sds, sds.getParent())
                .cluster("app", upstream.port())
                .inbound("http", "HTTP", 8080, "app")
                .template());
    awaitChain(envoy, mark("guard"));

    // The Pod is replaced under the same name: the old token is bound to a Pod that is gone.
    ns.kubectl(null, "delete", "pod", "web-1");
    ns.pod("web-1", "app: web");
    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(envoy.logTail(400)).contains("earlier Pod"));

    // kubelet puts the new Pod's token in place; Envoy reads it without a restart.
    Instant rotated = Instant.now();
    TestNamespace.rotateToken(sds.getParent(), ns.token("web-1", "wasmplane"));
    await()
        .atMost(CONVERGE)
        .until(
            () ->
                operator.xds().sessions().stream()
                    .anyMatch(
                        s ->
                            s.identity().nodeId().equals(node("web-1"))
                                && s.connectedAt().isAfter(rotated)));
    awaitChain(envoy, mark("guard"));
  }

  private int fetch(String sha256, String pod, String token) throws Exception {
    return fetchFor(sha256, pod.contains(".") ? pod : node(pod), token);
  }

  private int fetchFor(String sha256, String nodeId, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
            URI.create(
                "http://127.0.0.1:"
                    + operator.httpPort()
                    + "/modules/sha256/"
                    + sha256
                    + "?proxy="
                    + nodeId));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
