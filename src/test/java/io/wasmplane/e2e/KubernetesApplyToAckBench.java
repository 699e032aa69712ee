package io.wasmplane.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Benchmark, not a test: in Kubernetes mode, how long from a server-side apply of a WasmPlugin to
 * the real apiserver until Envoy runs the change and ACKs it, through the informers, the reconciler
 * and xDS; for a config-only edit (ECDS) and a priority edit (LDS). Run with {@code scripts/bench};
 * it prints its figures and writes them to {@code bench/results/kubernetes-apply-to-ack.txt}.
 */
@ExtendWith(KubeApiServerExtension.class)
class KubernetesApplyToAckBench {
  private static final int ROUNDS = 20;

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();

  @Test
  void measureApplyToAck(KubeApiServer api) throws Exception {
    Chains.installCrd(api);
    try (TestNamespace ns = TestNamespace.create(api, "bench");
        EchoUpstream upstream = EchoUpstream.start();
        KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(api.kubeconfig())))
                .build()) {
      WasmplaneOperator operator = ns.startOperator();
      try {
        ns.pod("bench-1", "app: web");
        Envoy envoy = ns.proxy(envoys, "bench-1", operator, upstream);
        List<Long> ecds = new ArrayList<>();
        List<Long> lds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
          ecds.add(applyAndAwaitAck(client, ns.name(), operator, envoy, round, "ecds"));
          lds.add(applyAndAwaitAck(client, ns.name(), operator, envoy, round, "lds"));
        }
        String report = BenchRounds.report("kubernetes apply-to-ack", ecds, lds);
        BenchResults.publish("kubernetes-apply-to-ack.txt", report);
      } finally {
        operator.close();
      }
    }
  }

  private static long applyAndAwaitAck(
      KubernetesClient client,
      String namespace,
      WasmplaneOperator operator,
      Envoy envoy,
      int round,
      String kind)
      throws Exception {
    List<GenericKubernetesResource> plugins =
        Stream.of(BenchRounds.plugins(namespace, round, kind).split("---\n"))
            .map(yaml -> parse(client, yaml))
            .toList();
    long start = System.nanoTime();
    for (GenericKubernetesResource plugin : plugins) {
      client.resource(plugin).fieldManager("bench").forceConflicts().serverSideApply();
    }
    return BenchRounds.awaitAcked(
        envoy, round, kind, () -> OperatorHttp.get(operator.httpPort(), "/debug/proxies"), start);
  }

  private static GenericKubernetesResource parse(KubernetesClient client, String yaml) {
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }
}
