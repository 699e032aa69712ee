package io.wasmplane.e2e;

import java.util.Arrays;

/**
 * One change across the fleet: each proxy's milliseconds until it ran the change and the bytes it
 * received for it.
 */
record FleetEdit(long[] millis, long[] bytes) {
  long p50() {
    return percentile(millis, 0.50);
  }

  long p99() {
    return percentile(millis, 0.99);
  }

  long slowest() {
    return Arrays.stream(millis).max().orElse(0);
  }

  double meanBytes() {
    return Arrays.stream(bytes).average().orElse(0);
  }

  long maxBytes() {
    return Arrays.stream(bytes).max().orElse(0);
  }

  /** The nearest-rank percentile {@code p} of {@code values}. */
  static long percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** The median of {@code values}. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
