package io.wasmplane.operator.module;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A timer that only records what is scheduled; the test runs it when it chooses. */
final class ManualTimer extends ScheduledThreadPoolExecutor {
  /** Work scheduled for later, with its delay. */
  record Scheduled(Duration delay, Runnable work) {}

  final List<Scheduled> scheduled = new ArrayList<>();

  ManualTimer() {
    super(1);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    scheduled.add(new Scheduled(Duration.ofNanos(unit.toNanos(delay)), command));
    return null;
  }

  /** Runs everything scheduled so far, and forgets it. */
  void runAll() {
    List<Scheduled> due = new ArrayList<>(scheduled);
    scheduled.clear();
    due.forEach(s -> s.work().run());
  }
}
