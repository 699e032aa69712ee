package io.wasmplane.operator.mode;

/** Where configuration comes from, with everything that mode runs beside it (status, leases). */
public interface ConfigMode extends AutoCloseable {
  /** Starts reading configuration; the first reading reaches the control plane soon after. */
  void start();

  /** This mode's own lines for {@code /metrics}, in the Prometheus text format. */
  default String metrics() {
    return "";
  }
}
