package io.wasmplane.operator.trust;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket bounding how many TokenReviews go to the apiserver: {@code perSecond} on average,
 * up to {@code burst} at once. It counts in whole nanoseconds, so a refill lands exactly on time.
 */
public final class ReviewBudget {
  private final long costNanos;
  private final long capacityNanos;
  private long creditNanos;
  private Instant last;

  public ReviewBudget(double perSecond, int burst) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("a review budget needs a positive rate and burst");
    }
    // Rounded down: at most a nanosecond per review generous, never late on a whole second.
    this.costNanos = Math.max(1, (long) (1e9 / perSecond));
    this.capacityNanos = Math.multiplyExact(costNanos, (long) burst);
    this.creditNanos = capacityNanos;
  }

  /** Takes one review from the budget at {@code now}; false when it is spent. */
  public synchronized boolean take(Instant now) {
    if (last != null && now.isAfter(last)) {
      long elapsed = saturatedNanos(Duration.between(last, now));
      creditNanos = capacityNanos - creditNanos <= elapsed ? capacityNanos : creditNanos + elapsed;
    }
    last = last == null || now.isAfter(last) ? now : last;
    if (creditNanos < costNanos) {
      return false;
    }
    creditNanos -= costNanos;
    return true;
  }

  private static long saturatedNanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
