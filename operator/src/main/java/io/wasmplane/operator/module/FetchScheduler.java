package io.wasmplane.operator.module;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs module fetches: at most {@link #PER_HOST} at a time per registry or web host, so one slow
 * host cannot hold every fetch thread, and retries on a schedule: soon and with backoff for
 * failures that may pass, slowly for the ones that need a change (unauthorised, not Wasm).
 */
public final class FetchScheduler {
  /** Fetches that may run at once against one host. */
  static final int PER_HOST = 2;

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration SLOW_RETRY = Duration.ofMinutes(5);

  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Map<String, Host> hosts = new HashMap<>();

  /** One host's running count and the fetches waiting for it. */
  private static final class Host {
    int running;
    final Queue<Runnable> waiting = new ArrayDeque<>();
  }

  /**
   * @param workers runs fetches; its size bounds fetches across all hosts
   * @param timer schedules retries
   */
  public FetchScheduler(ExecutorService workers, ScheduledExecutorService timer) {
    this.workers = workers;
    this.timer = timer;
  }

  /** Runs {@code fetch} against {@code host} as soon as the host has room. */
  public synchronized void submit(String host, Runnable fetch) {
    Host state = hosts.computeIfAbsent(host, h -> new Host());
    if (state.running < PER_HOST) {
      state.running++;
      workers.execute(() -> run(host, fetch));
    } else {
      state.waiting.add(fetch);
    }
  }

  private void run(String host, Runnable fetch) {
    try {
      fetch.run();
    } finally {
      finished(host);
    }
  }

  private synchronized void finished(String host) {
    Host state = hosts.get(host);
    Runnable next = state.waiting.poll();
    if (next != null) {
      workers.execute(() -> run(host, next));
    } else if (--state.running == 0) {
      hosts.remove(host);
    }
  }

  /**
   * Runs {@code fetch} again later: after {@code attempt} failures that may pass, with exponential
   * backoff up to 30 s; after one that will not pass by itself, in 5 minutes. Returns the delay.
   */
  public Duration retry(String host, Runnable fetch, int attempt, boolean retryable) {
    Duration delay = delay(attempt, retryable);
    later(host, fetch, delay);
    return delay;
  }

  /** Runs {@code fetch} against {@code host} after {@code delay}. */
  public void later(String host, Runnable fetch, Duration delay) {
    timer.schedule(() -> submit(host, fetch), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The retry delay after {@code attempt} failures. */
  static Duration delay(int attempt, boolean retryable) {
    if (!retryable) {
      return SLOW_RETRY;
    }
    return Duration.ofMillis(
        Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(Math.max(attempt, 1), 10)));
  }
}
