package io.wasmplane.e2e;

import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.WasmFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The edit-to-ACK benchmarks' rounds: the two plugins a round writes, the wait until Envoy runs the
 * edit and ACKs everything, and the summary of the timings.
 */
final class BenchRounds {
  private BenchRounds() {}

  /**
   * Plugins "bench" and "other" in {@code namespace} for one round: {@code kind} "ecds" changes
   * only bench's pluginConfig, "lds" also the priorities, so the chain order changes.
   */
  static String plugins(String namespace, int round, String kind) {
    int priority = kind.equals("lds") ? round + 1 : 0;
    return Plugins.plugin(
            namespace,
            "bench",
            WasmFixtures.HEADER_CHAIN,
            "pluginConfig: {name: bench, round: \"" + kind + round + "\"}\npriority: " + priority)
        + "---\n"
        + Plugins.chain(namespace, "other", "priority: " + (kind.equals("lds") ? -round : 0));
  }

  /**
   * Waits until Envoy's chain shows the round's edit and every proxy in {@code debugProxies} ACKed
   * all; returns the milliseconds since {@code startNanos}.
   */
  static long awaitAcked(
      Envoy envoy, int round, String kind, Callable<String> debugProxies, long startNanos) {
    String marker = "{\"name\":\"bench\",\"round\":\"" + kind + round + "\"}";
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () ->
                Traffic.get(envoy.port("http")).chain().contains(marker)
                    && allAcked(debugProxies.call()));
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Whether every proxy in a {@code /debug/proxies} view ACKed the current version of all. */
  /** The report of one run: a title line, then the ECDS and the LDS timings. */
  static String report(String title, List<Long> ecds, List<Long> lds) {
    return "%s, %d rounds each, %s%n%s%n%s%n"
        .formatted(
            title,
            ecds.size(),
            Instant.now(),
            summary("pluginConfig edit (ECDS only)", ecds),
            summary("priority edit (LDS)", lds));
  }

  private static boolean allAcked(String debug) {
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

  private static String summary(String what, List<Long> millis) {
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
