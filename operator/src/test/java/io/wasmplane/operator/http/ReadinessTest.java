package io.wasmplane.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.xds.ModuleSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a replica turns ready: modules settled, or a bounded wait; and then it stays ready. */
class ReadinessTest {
  private static final ModuleStatus READY =
      new ModuleStatus.Ready(new ModuleSource.Served("ab".repeat(32)), "ab".repeat(32), null, null);
  private static final ModuleStatus PENDING = new ModuleStatus.Pending("fetching");
  private static final ModuleStatus FAILED = new ModuleStatus.Failed("FetchFailed", "down");

  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void notReadyBeforeTheFirstConfiguration() {
    Readiness readiness = new Readiness(clock, Duration.ofSeconds(60));
    assertThat(readiness.check(false, List.of())).contains("configuration not loaded");
  }

  @Test
  void readyOnceEveryModuleIsReadyOrFailed() {
    Readiness readiness = new Readiness(clock, Duration.ofSeconds(60));
    assertThat(readiness.check(true, List.of(READY, PENDING))).contains("1 modules");
    assertThat(readiness.check(true, List.of(READY, FAILED))).isNull();
  }

  @Test
  void readyAfterTheBoundedWaitEvenWithModulesPending() {
    Readiness readiness = new Readiness(clock, Duration.ofSeconds(60));
    now = now.plusSeconds(59);
    assertThat(readiness.check(true, List.of(PENDING))).isNotNull();
    now = now.plusSeconds(1);
    assertThat(readiness.check(true, List.of(PENDING))).isNull();
  }

  @Test
  void onceReadyALaterFetchDoesNotTakeTheReplicaOut() {
    Readiness readiness = new Readiness(clock, Duration.ofSeconds(60));
    assertThat(readiness.check(true, List.of(READY))).isNull();
    assertThat(readiness.check(true, List.of(READY, PENDING))).isNull();
  }
}
