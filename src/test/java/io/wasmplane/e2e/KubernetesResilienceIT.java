package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.operator.CliOptions;
import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import io.wasmplane.testbed.SidecarBootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
  private String namespace;
  private Path kubeconfig;
  private final List<WasmplaneOperator> operators = new ArrayList<>();
  private EchoUpstream upstream;

  @BeforeAll
  static void installCrd(KubeApiServer api) {
    Chains.installCrd(api);
  }

  @BeforeEach
  void start(KubeApiServer api) throws Exception {
    this.api = api;
    namespace = "res-" + UUID.randomUUID().toString().substring(0, 8);
    api.kubectl(null, "create", "namespace", namespace).orThrow();
    kubeconfig = Files.createTempFile("kubeconfig-", ".yaml");
    Files.copy(api.kubeconfig(), kubeconfig, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    upstream = EchoUpstream.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (WasmplaneOperator operator : operators) {
      operator.close();
    }
    upstream.close();
    api.kubectl(null, "delete", "namespace", namespace, "--wait=false");
  }

  private WasmplaneOperator operator(int xdsPort) throws Exception {
    WasmplaneOperator operator =
        WasmplaneOperator.start(
            CliOptions.parse(
                List.of(
                    "--kubeconfig",
                    kubeconfig.toString(),
                    "--namespaces",
                    namespace,
                    "--leader-election-namespace",
                    namespace,
                    "--xds-port",
                    Integer.toString(xdsPort),
                    "--http-port",
                    "0",
                    "--bind-address",
                    "127.0.0.1",
                    "--module-cache-dir",
                    Files.createTempDirectory("modules-").toString())));
    operators.add(operator);
    return operator;
  }

  private void kubectl(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("-n");
    all.add(namespace);
    api.kubectl(stdin, all.toArray(new String[0])).orThrow();
  }

  private void pod(String name) {
    kubectl(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, labels: {app: web}}
        spec:
          containers: [{name: app, image: registry.example/app:1}]
        """
            .formatted(name),
        "apply",
        "-f",
        "-");
  }

  private Envoy proxy(String pod, WasmplaneOperator operator) {
    return envoys.start(
        SidecarBootstrap.proxy(pod, namespace)
            .controlPlane(operator.xdsPort(), operator.httpPort())
            .cluster("app", upstream.port())
            .inbound("http", "HTTP", 8080, "app")
            .template());
  }

  private void applyChain(int secondPriority) {
    kubectl(
        Plugins.chain(namespace, "first", "priority: 100")
            + "---\n"
            + Plugins.chain(namespace, "second", "priority: " + secondPriority),
        "apply",
        "-f",
        "-");
  }

  private static void awaitChain(Envoy envoy, String... marks) {
    Chains.await(envoy, "http", CONVERGE, marks);
  }

  private String statusSelected(String plugin) {
    return api.kubectl(
            null,
            "get",
            "wasmplugin",
            plugin,
            "-n",
            namespace,
            "-o",
            "jsonpath={.status.proxies.selected}")
        .stdout();
  }

  @Test
  void anApiserverOutageAndAnOperatorRestartLoseNothing() throws Exception {
    WasmplaneOperator first = operator(0);
    int xdsPort = first.xdsPort();
    pod("web-1");
    applyChain(1);
    Envoy envoy = proxy("web-1", first);
    awaitChain(envoy, mark("first"), mark("second"));

    api.stopApiServer();
    awaitChain(envoy, mark("first"), mark("second"));
    api.startApiServer();
    applyChain(500);
    awaitChain(envoy, mark("second"), mark("first"));

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
  void twoReplicasServeXdsAndOnlyTheLeaseHolderWritesStatus() throws Exception {
    WasmplaneOperator a = operator(0);
    await().atMost(CONVERGE).until(() -> !holder().isEmpty());
    WasmplaneOperator b = operator(0);
    for (String pod : List.of("on-a-1", "on-a-2", "on-b-1")) {
      pod(pod);
    }
    applyChain(1);
    Envoy a1 = proxy("on-a-1", a);
    Envoy a2 = proxy("on-a-2", a);
    Envoy b1 = proxy("on-b-1", b);
    for (Envoy envoy : List.of(a1, a2, b1)) {
      awaitChain(envoy, mark("first"), mark("second"));
    }
    String leader = holder();
    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(statusSelected("first")).isEqualTo("2"));

    a.close();
    operators.remove(a);

    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(holder()).isNotEqualTo(leader).isNotEmpty());
    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(statusSelected("first")).isEqualTo("1"));
    awaitChain(b1, mark("first"), mark("second"));
  }

  private String holder() {
    return api.kubectl(
            null,
            "get",
            "lease",
            "wasmplane-status",
            "-n",
            namespace,
            "-o",
            "jsonpath={.spec.holderIdentity}")
        .stdout();
  }

  @Test
  void aProxyWhosePodIsUnknownIsRefusedThenAdmittedOnceThePodExists() throws Exception {
    WasmplaneOperator operator = operator(0);
    applyChain(1);
    Envoy envoy = proxy("late-1", operator);

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(envoy.logTail(300))
                    .contains("no Pod " + namespace + "/late-1 for node.id"));
    pod("late-1");

    awaitChain(envoy, mark("first"), mark("second"));
  }
}
