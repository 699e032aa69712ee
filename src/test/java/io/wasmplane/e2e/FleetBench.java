package io.wasmplane.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: a fleet of simulated Envoy 1.40 proxies on one {@code bin/wasmplane}
 * process with remote module delivery, for each module size and fleet size. Measures the time to
 * configure the fleet, config-only edits and a module change (per-proxy latency and bytes), and the
 * control plane's peak RSS. Run with {@code scripts/bench}; it prints its figures and writes them
 * to {@code bench/results/fleet.txt}.
 *
 * <p>System properties: {@code fleet.proxies} (default "1000,10000"), {@code fleet.sizes} (bytes,
 * or with a Ki or Mi suffix; default "2Ki,1Mi"), {@code fleet.waitSeconds} (each wait's deadline,
 * default 900).
 */
class FleetBench {
  @Test
  void measureFleet() throws Exception {
    List<Integer> proxyCounts = list("fleet.proxies", "1000,10000");
    List<Integer> sizes = list("fleet.sizes", "2Ki,1Mi");
    Duration timeout = Duration.ofSeconds(Long.getLong("fleet.waitSeconds", 900));
    String delivery = FleetDelivery.note();
    System.out.println("fleet: control plane flags: " + delivery);
    List<FleetReport.Row> rows = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int proxies : proxyCounts) {
      for (int size : sizes) {
        try {
          rows.add(
              new FleetReport.Row(size, proxies, FleetRun.measure(size, proxies, timeout), null));
        } catch (Exception | AssertionError e) {
          String why = e.getMessage() != null ? e.getMessage() : e.toString();
          String message = FleetReport.size(size) + " x " + proxies + ": " + why;
          System.out.println("fleet " + message);
          e.printStackTrace(System.out);
          rows.add(new FleetReport.Row(size, proxies, null, why));
          failures.add(message);
        }
      }
    }
    BenchResults.publish("fleet.txt", FleetReport.render(rows, delivery));
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n\n", failures));
    }
  }

  private static List<Integer> list(String property, String defaults) {
    return Stream.of(System.getProperty(property, defaults).split(","))
        .map(String::trim)
        .filter(value -> !value.isEmpty())
        .map(FleetBench::number)
        .toList();
  }

  private static int number(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    int multiplier = lower.endsWith("ki") ? 1024 : lower.endsWith("mi") ? 1024 * 1024 : 1;
    String digits = multiplier == 1 ? lower : lower.substring(0, lower.length() - 2);
    int number = Integer.parseInt(digits.trim()) * multiplier;
    if (number <= 0) {
      throw new IllegalArgumentException("not a positive number: " + value);
    }
    return number;
  }
}
