package io.wasmplane.e2e;

import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.SidecarBootstrap;
import io.wasmplane.testbed.Toolchain;
import io.wasmplane.testbed.WasmFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
      Envoy envoy =
          envoys.start(
              SidecarBootstrap.proxy("bench-1", "shop")
                  .controlPlane(controlPlane.xdsPort(), controlPlane.httpPort())
                  .cluster("app", upstream.port())
                  .inbound("http", "HTTP", 8080, "app")
                  .template());
      List<Long> ecds = new ArrayList<>();
      List<Long> lds = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        ecds.add(editAndAwaitAck(controlPlane, envoy, "v: " + round + "\n", round, "ecds"));
        lds.add(editAndAwaitAck(controlPlane, envoy, "v: " + round + "\n", round, "lds"));
      }
      String report =
          "edit-to-ack, %d rounds each, %s%n%s%n%s%n"
              .formatted(
                  ROUNDS,
                  Instant.now(),
                  summary("pluginConfig edit (ECDS only)", ecds),
                  summary("priority edit (LDS)", lds));
      System.out.print(report);
      Path out = Toolchain.repoRoot().resolve("bench/results/edit-to-ack.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report);
    }
  }

  private static long editAndAwaitAck(
      DirectoryControlPlane controlPlane, Envoy envoy, String config, int round, String kind)
      throws Exception {
    int priority = kind.equals("lds") ? round + 1 : 0;
    String marker = "{\"name\":\"bench\",\"round\":\"" + kind + round + "\"}";
    String yaml =
        Plugins.plugin(
                "shop",
                "bench",
                WasmFixtures.HEADER_CHAIN,
                "pluginConfig: {name: bench, round: \""
                    + kind
                    + round
                    + "\"}\npriority: "
                    + priority)
            + "---\n"
            + Plugins.chain("shop", "other", "priority: " + (kind.equals("lds") ? -round : 0));
    long start = System.nanoTime();
    controlPlane.write("bench.yaml", yaml);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () -> Traffic.get(envoy.port("http")).chain().contains(marker) && acked(controlPlane));
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static boolean acked(DirectoryControlPlane controlPlane) throws Exception {
    return allAcked(controlPlane.get("/debug/proxies"));
  }

  /** Whether every proxy in a {@code /debug/proxies} view ACKed the current version of all. */
  static boolean allAcked(String debug) {
    List<String> current = new ArrayList<>();
    List<String> acked = new ArrayList<>();
    for (String line : debug.lines().toList()) {
      if (line.contains("\"current\"")) {
        current.add(line.split("\"")[3]);
      } else if (line.contains("\"acked\"")) {
        acked.add(line.split("\"").length > 3 ? line.split("\"")[3] : "");
      }
    }
    return !current.isEmpty() && current.equals(acked);
  }

  static String summary(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return "%-32s min %4d ms  median %4d ms  p90 %4d ms  max %4d ms"
        .formatted(
            what,
            sorted.get(0),
            sorted.get(sorted.size() / 2),
            sorted.get((int) (sorted.size() * 0.9)),
            sorted.get(sorted.size() - 1));
  }
}
