package io.wasmplane.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One configuration of the fleet benchmark: a fresh control plane and module cache, the proxies'
 * first configuration, config-only edits, then a module change.
 */
final class FleetRun {
  /** Config-only edits per configuration; the report gives the median of their percentiles. */
  static final int CONFIG_ROUNDS = 3;

  private final int moduleSize;
  private final int proxies;
  private final Duration timeout;
  private final Path configDir;

  private FleetRun(int moduleSize, int proxies, Duration timeout, Path configDir) {
    this.moduleSize = moduleSize;
    this.proxies = proxies;
    this.timeout = timeout;
    this.configDir = configDir;
  }

  /** Measures {@code proxies} proxies on modules of {@code moduleSize} bytes. */
  static FleetFigures measure(int moduleSize, int proxies, Duration timeout) throws Exception {
    Path work = Files.createTempDirectory("wasmplane-fleet-");
    try {
      Path config = Files.createDirectories(work.resolve("config"));
      return new FleetRun(moduleSize, proxies, timeout, config).run(work.resolve("cache"));
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private FleetFigures run(Path cacheDir) throws Exception {
    Path log =
        Path.of("target", "fleet-bench", "control-plane-" + moduleSize + "-" + proxies + ".log")
            .toAbsolutePath();
    Files.deleteIfExists(log);
    try (FleetModules modules = FleetModules.serve(moduleSize)) {
      writePlugins(modules, "a", 0);
      try (FleetControlPlane controlPlane = FleetControlPlane.start(configDir, cacheDir, log)) {
        controlPlane.awaitModulesReady(FleetModules.PLUGINS.size(), Duration.ofSeconds(120));
        try (FleetCodeFetcher fetcher = new FleetCodeFetcher(controlPlane.httpPort());
            Fleet fleet = new Fleet(proxies, fetcher, modules)) {
          FleetGoal first =
              new FleetGoal("their first configuration", 0, modules.shas("a"), proxies);
          fleet.connect(controlPlane.xdsPort(), first);
          fleet.await(first, timeout, controlPlane);
          FleetEdit configure = new FleetEdit(fleet.millisToGoal(), fleet.bytesSinceAim());
          progress("configured", configure);
          fleet.settle();
          List<FleetEdit> edits = new ArrayList<>();
          for (int round = 1; round <= CONFIG_ROUNDS; round++) {
            edits.add(change(fleet, controlPlane, modules, "config-only edit", "a", round));
          }
          FleetEdit moduleChange =
              change(fleet, controlPlane, modules, "module change", "b", CONFIG_ROUNDS);
          return new FleetFigures(
              moduleSize,
              proxies,
              configure,
              edits,
              moduleChange,
              controlPlane.peakRssKiB(),
              fleet.counters());
        }
      }
    }
  }

  /** Rewrites the plugins as {@code variant} at {@code round} and waits for every proxy. */
  private FleetEdit change(
      Fleet fleet,
      FleetControlPlane controlPlane,
      FleetModules modules,
      String what,
      String variant,
      int round)
      throws Exception {
    FleetGoal goal = new FleetGoal(what, round, modules.shas(variant), proxies);
    fleet.aim(goal);
    goal.start();
    writePlugins(modules, variant, round);
    fleet.await(goal, timeout, controlPlane);
    fleet.settle();
    FleetEdit edit = new FleetEdit(fleet.millisToGoal(), fleet.bytesSinceAim());
    progress(what + " " + round, edit);
    return edit;
  }

  /** Writes each plugin's file in one step, as an editor's save would. */
  private void writePlugins(FleetModules modules, String variant, int round) throws IOException {
    for (String plugin : FleetModules.PLUGINS) {
      Path temp = configDir.resolve("." + plugin + ".yaml.tmp");
      Files.writeString(temp, modules.yaml(plugin, variant, round));
      Files.move(temp, configDir.resolve(plugin + ".yaml"), StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private void progress(String what, FleetEdit edit) {
    System.out.printf(
        "fleet %s x %d: %s: p50 %d ms, p99 %d ms, slowest %d ms, %.0f bytes/proxy%n",
        FleetReport.size(moduleSize),
        proxies,
        what,
        edit.p50(),
        edit.p99(),
        edit.slowest(),
        edit.meanBytes());
  }
}
