package io.wasmplane.operator.trust;

import java.time.Instant;

/**
 * A token bucket bounding how many TokenReviews go to the apiserver: {@code perSecond} on average,
 * up to {@code burst} at once.
 */
public final class ReviewBudget {
  private final double perSecond;
  private final double burst;
  private double tokens;
  private Instant last;

  public ReviewBudget(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
  }

  /** Takes one review from the budget at {@code now}; false when it is spent. */
  public synchronized boolean take(Instant now) {
    if (last != null && now.isAfter(last)) {
      double seconds = (now.toEpochMilli() - last.toEpochMilli()) / 1000.0;
      tokens = Math.min(burst, tokens + seconds * perSecond);
    }
    last = last == null || now.isAfter(last) ? now : last;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }
}
