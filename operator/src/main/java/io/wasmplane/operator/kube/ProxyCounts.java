package io.wasmplane.operator.kube;

/**
 * How many proxies select one plugin, and how many ACKed or NACKed it.
 *
 * @param lastNack the last NACK, as {@code <node id>: <message>}, or null
 */
public record ProxyCounts(int selected, int acked, int nacked, String lastNack) {
  public static final ProxyCounts NONE = new ProxyCounts(0, 0, 0, null);

  /** The counts of two sets of proxies together. */
  public ProxyCounts plus(ProxyCounts other) {
    return new ProxyCounts(
        selected + other.selected,
        acked + other.acked,
        nacked + other.nacked,
        lastNack != null ? lastNack : other.lastNack);
  }
}
