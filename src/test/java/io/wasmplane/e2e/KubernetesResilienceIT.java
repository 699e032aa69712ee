package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.PushedImage;
import io.wasmplane.testbed.WasmFixtures;
import io.wasmplane.testbed.WasmImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Outages, restarts, replicas and unknown Pods, against the real apiserver and real Envoys. */
@ExtendWith(KubeApiServerExtension.class)
class KubernetesResilienceIT {
  private static final Duration CONVERGE = Duration.ofSeconds(60);

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();
  private KubeApiServer api;
  private TestNamespace ns;
  private String namespace;
  private final List<WasmplaneOperator> operators = new ArrayList<>();
  private EchoUpstream upstream;

  @BeforeAll
  static void installCrd(KubeApiServer api) {
    Chains.installCrd(api);
  }

  @BeforeEach
  void start(KubeApiServer api) throws Exception {
    this.api = api;
    ns = TestNamespace.create(api, "res");
    namespace = ns.name();
    upstream = EchoUpstream.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (WasmplaneOperator operator : operators) {
      operator.close();
    }
    upstream.close();
    ns.close();
  }

  private WasmplaneOperator operator(int xdsPort, String... flags) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("--xds-port", Integer.toString(xdsPort)));
    all.addAll(List.of(flags));
    WasmplaneOperator operator = ns.startOperator(all.toArray(new String[0]));
    operators.add(operator);
    return operator;
  }

  private void applyChain(int secondPriority) {
    ns.apply(
        Plugins.chain(namespace, "first", "priority: 100")
            + "---\n"
            + Plugins.chain(namespace, "second", "priority: " + secondPriority));
  }

  private static void awaitChain(Envoy envoy, String... marks) {
    Chains.await(envoy, "http", CONVERGE, marks);
  }

  private String statusSelected(String plugin) {
    return ns.jsonpath("wasmplugin/" + plugin, "{.status.proxies.selected}");
  }

  @Test
  void anApiserverOutageAndAnOperatorRestartLoseNothing() throws Exception {
    WasmplaneOperator first = operator(0);
    int xdsPort = first.xdsPort();
    ns.pod("web-1", "app: web");
    applyChain(1);
    Envoy envoy = ns.proxy(envoys, "web-1", first, upstream);
    awaitChain(envoy, mark("first"), mark("second"));

    await().atMost(CONVERGE).until(() -> leading(first));

    // Long enough an outage that the lease cannot be renewed: the operator loses it, and keeps
    // running and serving.
    api.stopApiServer();
    await().atMost(CONVERGE).until(() -> !leading(first));
    awaitChain(envoy, mark("first"), mark("second"));
    api.startApiServer();
    await().atMost(CONVERGE).until(() -> leading(first));
    applyChain(500);
    awaitChain(envoy, mark("second"), mark("first"));
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(ns.jsonpath("wasmplugin/second", "{.status.observedGeneration}"))
                    .isEqualTo(ns.jsonpath("wasmplugin/second", "{.metadata.generation}")));

    first.close();
    operators.remove(first);
    awaitChain(envoy, mark("second"), mark("first"));
    WasmplaneOperator second = operator(xdsPort);
    await().atMost(CONVERGE).until(() -> second.xds().sessions().size() == 1);
    applyChain(2);
    awaitChain(envoy, mark("second"), mark("first"));
    applyChain(1);
    awaitChain(envoy, mark("first"), mark("second"));
  }

  @Test
  void aReplacedOperatorThatCannotReachTheRegistryNeverServesWithoutThePlugin() throws Exception {
    try (OciRegistry registry = OciRegistry.startPlain()) {
      PushedImage image =
          WasmImages.pushFixture(registry, "auth/plugin", "latest", WasmFixtures.HEADER_CHAIN);
      WasmplaneOperator first = operator(0);
      ns.pod("web-1", "app: web");
      ns.apply(
          """
          apiVersion: extensions.istio.io/v1alpha1
          kind: WasmPlugin
          metadata: {name: authz, namespace: %s}
          spec: {url: 'oci://%s', phase: AUTHZ, pluginConfig: {name: authz}}
          """
              .formatted(namespace, image.reference()));
      Envoy envoy = ns.proxy(envoys, "web-1", first, upstream);
      awaitChain(envoy, mark("authz"));

      registry.stop();
      try (HangingServer hung = new HangingServer(registry.port())) {
        int xdsPort = first.xdsPort();
        int httpPort = first.httpPort();
        first.close();
        operators.remove(first);
        WasmplaneOperator second =
            ns.startOperator(
                "--xds-port", Integer.toString(xdsPort), "--http-port", Integer.toString(httpPort));
        operators.add(second);
        await().atMost(CONVERGE).until(() -> hung.connections() > 0);
        await().atMost(CONVERGE).until(() -> second.xds().sessions().size() == 1);

        Chains.assertEveryRequest(envoy, "http", 25, mark("authz"));
      }
    }
  }

  @Test
  void twoReplicasServeXdsStatusCountsBothAndProxiesMoveWhenOneStops() throws Exception {
    WasmplaneOperator a = operator(0);
    await().atMost(CONVERGE).until(() -> !holder().isEmpty());
    String leader = holder();
    int bPort = freePort();
    for (String pod : List.of("on-a", "on-b", "roamer")) {
      ns.pod(pod, "app: web");
    }
    applyChain(1);
    Envoy onA = ns.proxy(envoys, "on-a", a, upstream);
    // The roamer knows both replicas, as behind a Service; b is not up yet, so it lands on a.
    Envoy roamer =
        envoys.start(
            ns.sidecar("roamer", a.xdsPort(), a.httpPort())
                .alsoXds(bPort)
                .cluster("app", upstream.port())
                .inbound("http", "HTTP", 8080, "app")
                .template());
    awaitChain(roamer, mark("first"), mark("second"));
    WasmplaneOperator b = operator(bPort);
    Envoy onB = ns.proxy(envoys, "on-b", b, upstream);
    awaitChain(onA, mark("first"), mark("second"));
    awaitChain(onB, mark("first"), mark("second"));
    assertThat(a.xds().sessions()).hasSize(2);
    assertThat(b.xds().sessions()).hasSize(1);

    // Only a holds the status lease, yet status counts the proxies of both replicas.
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(ns.jsonpath("wasmplugin/first", "{.status.proxies}"))
                    .isEqualTo("{\"acked\":3,\"nacked\":0,\"selected\":3}"));
    assertThat(holder()).isEqualTo(leader);

    a.close();
    operators.remove(a);

    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(holder()).isNotEqualTo(leader).isNotEmpty());
    await().atMost(CONVERGE).until(() -> b.xds().sessions().size() == 2);
    applyChain(500);
    awaitChain(roamer, mark("second"), mark("first"));
    awaitChain(onB, mark("second"), mark("first"));
    // a's report left with it: on-a, which knew only a, is no longer counted.
    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(statusSelected("first")).isEqualTo("2"));
    assertThat(
            ns.output(
                "get",
                "leases",
                "-l",
                "wasmplane.io/report=proxies",
                "-o",
                "jsonpath={.items[*].spec.holderIdentity}"))
        .isEqualTo(holder());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean leading(WasmplaneOperator operator) throws Exception {
    return OperatorHttp.get(operator.httpPort(), "/metrics")
        .lines()
        .anyMatch(line -> line.equals("wasmplane_status_leader 1"));
  }

  private String holder() {
    return ns.jsonpath("lease/wasmplane-status", "{.spec.holderIdentity}");
  }

  @Test
  void aProxyWhosePodIsUnknownIsRefusedThenAdmittedOnceThePodExists() throws Exception {
    // A token is bound to an existing Pod, so this proxy, whose Pod comes later, sends none.
    WasmplaneOperator operator = operator(0, "--xds-auth", "none");
    applyChain(1);
    Envoy envoy = ns.proxy(envoys, "late-1", operator, upstream);

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(envoy.logTail(300))
                    .contains("no Pod " + namespace + "/late-1 for node.id"));
    ns.pod("late-1", "app: web");

    awaitChain(envoy, mark("first"), mark("second"));
  }
}
