package io.wasmplane.operator.http;

import io.wasmplane.operator.plan.ModuleStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Decides {@code /readyz}: a replica turns ready once its first configuration is in and every
 * plugin's module is Ready or Failed (so proxies that move to it find their modules), or once a
 * bounded wait has passed. It then stays ready: a later fetch never takes a serving replica out.
 */
final class Readiness {
  private final Clock clock;
  private final Instant started;
  private final Duration bound;
  private volatile boolean ready;

  Readiness(Clock clock, Duration bound) {
    this.clock = clock;
    this.started = clock.instant();
    this.bound = bound;
  }

  /** Null when ready, else why not. */
  String check(boolean loaded, Collection<ModuleStatus> modules) {
    if (ready) {
      return null;
    }
    if (!loaded) {
      return "configuration not loaded yet";
    }
    long pending = modules.stream().filter(m -> m instanceof ModuleStatus.Pending).count();
    if (pending > 0 && Duration.between(started, clock.instant()).compareTo(bound) < 0) {
      return pending + " modules still being fetched";
    }
    ready = true;
    return null;
  }
}
