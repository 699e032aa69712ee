package io.wasmplane.e2e;

import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Benchmark, not a test: how long from saving a WasmPlugin file to Envoy's ACK of the change, for a
 * config-only edit (ECDS) and a priority edit (LDS). Run with {@code scripts/bench}; it prints its
 * figures and writes them to {@code bench/results/edit-to-ack.txt}.
 */
class EditToAckBench {
  private static final int ROUNDS = 20;

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();

  @Test
  void measureEditToAck() throws Exception {
    try (DirectoryControlPlane controlPlane = DirectoryControlPlane.start();
        EchoUpstream upstream = EchoUpstream.start()) {
      Envoy envoy = envoys.start(controlPlane.sidecar("bench-1", "shop", upstream).template());
      List<Long> ecds = new ArrayList<>();
      List<Long> lds = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        ecds.add(editAndAwaitAck(controlPlane, envoy, round, "ecds"));
        lds.add(editAndAwaitAck(controlPlane, envoy, round, "lds"));
      }
      String report = BenchRounds.report("edit-to-ack", ecds, lds);
      BenchResults.publish("edit-to-ack.txt", report);
    }
  }

  private static long editAndAwaitAck(
      DirectoryControlPlane controlPlane, Envoy envoy, int round, String kind) throws Exception {
    String yaml = BenchRounds.plugins("shop", round, kind);
    long start = System.nanoTime();
    controlPlane.write("bench.yaml", yaml);
    return BenchRounds.awaitAcked(
        envoy, round, kind, () -> controlPlane.get("/debug/proxies"), start);
  }
}
