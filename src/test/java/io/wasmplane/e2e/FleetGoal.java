package io.wasmplane.e2e;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What every proxy of the fleet should run after a change: each plugin's module (by sha256) with
 * the configuration of one round; counts the proxies that got there.
 */
final class FleetGoal {
  private final String what;
  private final int round;
  private final Map<String, String> shaByPlugin;
  private final int proxies;
  private final CountDownLatch remaining;
  private volatile long startNanos = System.nanoTime();

  FleetGoal(String what, int round, Map<String, String> shaByPlugin, int proxies) {
    this.what = what;
    this.round = round;
    this.shaByPlugin = Map.copyOf(shaByPlugin);
    this.proxies = proxies;
    this.remaining = new CountDownLatch(proxies);
  }

  /** Marks the moment the change is made; latencies count from here. */
  void start() {
    startNanos = System.nanoTime();
  }

  long startNanos() {
    return startNanos;
  }

  /** Whether {@code running}, the accepted resources with their code at hand, is the goal. */
  boolean metBy(List<FleetExtension> running) {
    if (running.size() != shaByPlugin.size()) {
      return false;
    }
    Set<String> plugins = new HashSet<>();
    for (FleetExtension extension : running) {
      if (!extension.wasm()
          || extension.round() != round
          || !extension.sha256().equals(shaByPlugin.get(extension.plugin()))) {
        return false;
      }
      plugins.add(extension.plugin());
    }
    return plugins.size() == shaByPlugin.size();
  }

  void reached() {
    remaining.countDown();
  }

  /** Waits up to {@code millis} for every proxy; returns whether all got there. */
  boolean await(long millis) throws InterruptedException {
    return remaining.await(millis, TimeUnit.MILLISECONDS);
  }

  long reachedCount() {
    return proxies - remaining.getCount();
  }

  @Override
  public String toString() {
    return "%s (round %d, modules %s)".formatted(what, round, shaByPlugin);
  }
}
