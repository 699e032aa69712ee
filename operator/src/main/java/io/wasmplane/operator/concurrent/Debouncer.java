package io.wasmplane.operator.concurrent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a task on its own daemon thread shortly after it is poked. Pokes during the delay collapse
 * into one run; a poke while the task runs schedules one more run, so no change is lost.
 */
public final class Debouncer implements AutoCloseable {
  private final Runnable task;
  private final Duration delay;
  private final ScheduledExecutorService executor;
  private final AtomicBoolean scheduled = new AtomicBoolean();

  public Debouncer(String threadName, Duration delay, Runnable task) {
    this.task = task;
    this.delay = delay;
    this.executor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName));
  }

  /** Asks for a run soon. */
  public void poke() {
    if (executor.isShutdown() || !scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.schedule(
          () -> {
            scheduled.set(false);
            task.run();
          },
          delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      scheduled.set(false);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
