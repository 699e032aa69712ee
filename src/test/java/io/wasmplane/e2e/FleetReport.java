package io.wasmplane.e2e;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Renders the fleet benchmark's table, the ratios between module sizes, and the targets. */
final class FleetReport {
  private static final String ROW =
      "%-7s %7s %9s %8s %8s %10s %10s %8s %8s %10s %10s %8s %7s %9s %8s%n";
  private static final long EDIT_BYTES_TARGET = 64 * 1024;
  private static final long RSS_TARGET_KIB = 1024 * 1024;

  /** One configuration: its figures, or why it failed. */
  record Row(int moduleSize, int proxies, FleetFigures figures, String failure) {}

  private FleetReport() {}

  static String render(List<Row> rows, String delivery) {
    StringBuilder out = new StringBuilder();
    out.append(
        "fleet: simulated Envoy 1.40 proxies (ADS, LDS + ECDS, remote code cache) in namespace"
            + " fleet, 3 Wasm plugins each\n");
    out.append(
        "control plane: bin/wasmplane --config-dir, %s, WASMPLANE_JAVA_OPTS=\"%s\", fresh per row; %s%n"
            .formatted(delivery, FleetControlPlane.JAVA_OPTS, Instant.now()));
    out.append(
        ("configure: from opening the streams (gRPC channels already connected) until every proxy"
                + " runs all three modules; edit: pluginConfig change, latency percentiles the"
                + " median of %d rounds, bytes per proxy the median mean and the max; mod: every"
                + " plugin switched to another module of the same size%n%n")
            .formatted(FleetRun.CONFIG_ROUNDS));
    out.append(
        ROW.formatted(
            "module",
            "proxies",
            "configure",
            "edit p50",
            "edit p99",
            "edit B/px",
            "edit max",
            "mod p50",
            "mod p99",
            "mod B/px",
            "mod max",
            "peak RSS",
            "NACKs",
            "downloads",
            "bypassed"));
    for (Row row : rows) {
      FleetFigures f = row.figures();
      if (f == null) {
        out.append(
            "%-7s %7d FAILED: %s%n"
                .formatted(
                    size(row.moduleSize()),
                    row.proxies(),
                    row.failure().lines().findFirst().orElse("")));
        continue;
      }
      out.append(
          ROW.formatted(
              size(f.moduleSize()),
              f.proxies(),
              millis(f.configure().slowest()),
              millis(f.configP50()),
              millis(f.configP99()),
              bytes(f.configBytesMean()),
              bytes(f.configBytesMax()),
              millis(f.moduleChange().p50()),
              millis(f.moduleChange().p99()),
              bytes(f.moduleChange().meanBytes()),
              bytes(f.moduleChange().maxBytes()),
              "%.0f MiB".formatted(f.peakRssKiB() / 1024.0),
              f.nacks(),
              f.downloads(),
              f.bypassed()));
    }
    out.append("\nper row: downloads, NACKs, bypassed filters, fetches a real Envoy would repeat,")
        .append(" identical resends (ACKed, never applied):\n");
    for (Row row : rows) {
      if (row.figures() != null) {
        long[] c = row.figures().counters();
        out.append(
            "  %s x %d: %d, %d, %d, %d, %d%n"
                .formatted(size(row.moduleSize()), row.proxies(), c[0], c[1], c[2], c[3], c[4]));
      }
    }
    out.append("\nratios within this run, largest vs smallest module:\n");
    List<String> targets = new ArrayList<>();
    for (int proxies : proxyCounts(rows)) {
      Optional<FleetFigures> small = pick(rows, proxies, true);
      Optional<FleetFigures> large = pick(rows, proxies, false);
      if (small.isEmpty() || large.isEmpty() || small.get() == large.get()) {
        out.append("  %d proxies: n/a (needs two module sizes that both ran)%n".formatted(proxies));
        targets.add(
            "config-only edit p99 within 2x of the small module at %d proxies: n/a"
                .formatted(proxies));
        continue;
      }
      FleetFigures s = small.get();
      FleetFigures l = large.get();
      double p99 = l.configP99() / Math.max(1, s.configP99());
      out.append(
          ("  %d proxies, %s vs %s: config-edit p99 x%.2f, bytes/proxy/config edit x%.2f,"
                  + " time to configure x%.2f, peak RSS x%.2f%n")
              .formatted(
                  proxies,
                  size(l.moduleSize()),
                  size(s.moduleSize()),
                  p99,
                  l.configBytesMean() / Math.max(1, s.configBytesMean()),
                  (double) l.configure().slowest() / Math.max(1, s.configure().slowest()),
                  (double) l.peakRssKiB() / Math.max(1, s.peakRssKiB())));
      targets.add(
          "config-only edit p99 within 2x of %s at %d proxies (x%.2f): %s"
              .formatted(size(s.moduleSize()), proxies, p99, met(p99 <= 2)));
    }
    out.append("\ntargets:\n");
    for (Row row : rows) {
      String which = "%s x %d".formatted(size(row.moduleSize()), row.proxies());
      FleetFigures f = row.figures();
      targets.add(
          "at most 64 KiB per proxy per config edit, %s%s"
              .formatted(
                  which,
                  f == null
                      ? ": NOT met (failed)"
                      : " (max %s): %s"
                          .formatted(
                              bytes(f.configBytesMax()),
                              met(f.configBytesMax() <= EDIT_BYTES_TARGET))));
      targets.add(
          "peak RSS within 1 GiB, %s%s"
              .formatted(
                  which,
                  f == null
                      ? ": NOT met (failed)"
                      : " (%.0f MiB): %s"
                          .formatted(
                              f.peakRssKiB() / 1024.0, met(f.peakRssKiB() <= RSS_TARGET_KIB))));
    }
    targets.forEach(target -> out.append("  ").append(target).append('\n'));
    return out.toString();
  }

  private static Set<Integer> proxyCounts(List<Row> rows) {
    Set<Integer> counts = new LinkedHashSet<>();
    rows.forEach(row -> counts.add(row.proxies()));
    return counts;
  }

  private static Optional<FleetFigures> pick(List<Row> rows, int proxies, boolean smallest) {
    return rows.stream()
        .filter(row -> row.proxies() == proxies && row.figures() != null)
        .map(Row::figures)
        .reduce((a, b) -> (a.moduleSize() <= b.moduleSize()) == smallest ? a : b);
  }

  private static String met(boolean met) {
    return met ? "met" : "NOT met";
  }

  /** A module size: "2 KiB", "1 MiB". */
  static String size(long bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + " MiB";
    }
    return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
  }

  private static String bytes(double bytes) {
    if (bytes < 1024) {
      return "%.0f B".formatted(bytes);
    }
    return bytes < 1024 * 1024
        ? "%.1f KiB".formatted(bytes / 1024)
        : "%.1f MiB".formatted(bytes / (1024 * 1024));
  }

  private static String millis(double millis) {
    return millis < 10_000 ? "%.0f ms".formatted(millis) : "%.1f s".formatted(millis / 1000);
  }
}
