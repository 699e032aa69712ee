package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One slow host cannot take every fetch thread, and retries back off. */
class FetchSchedulerTest {
  /** Holds submitted work until the test runs it. */
  private static final class Manual extends TestExecutor {
    final List<Runnable> queued = new ArrayList<>();

    @Override
    public void execute(Runnable command) {
      queued.add(command);
    }

    void runFirst() {
      queued.remove(0).run();
    }
  }

  @Test
  void atMostTwoFetchesRunPerHostAndOtherHostsAreNotHeldUp() {
    Manual workers = new Manual();
    FetchScheduler scheduler = new FetchScheduler(workers, null);
    List<String> ran = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String name = "slow-" + i;
      scheduler.submit("slow.example", () -> ran.add(name));
    }
    scheduler.submit("fast.example", () -> ran.add("fast"));
    assertThat(workers.queued).hasSize(FetchScheduler.PER_HOST + 1);

    workers.runFirst();
    assertThat(ran).containsExactly("slow-1");
    assertThat(workers.queued).as("the waiting fetch of the slow host starts").hasSize(3);
    while (!workers.queued.isEmpty()) {
      workers.runFirst();
    }
    assertThat(ran).containsExactlyInAnyOrder("slow-1", "slow-2", "slow-3", "fast");
  }

  @Test
  void failuresThatMayPassBackOffTo30SecondsAndTheOthersWaitFiveMinutes() {
    assertThat(FetchScheduler.delay(1, true)).isEqualTo(Duration.ofSeconds(1));
    assertThat(FetchScheduler.delay(2, true)).isEqualTo(Duration.ofSeconds(2));
    assertThat(FetchScheduler.delay(20, true)).isEqualTo(Duration.ofSeconds(30));
    assertThat(FetchScheduler.delay(1, false)).isEqualTo(Duration.ofMinutes(5));
  }
}
