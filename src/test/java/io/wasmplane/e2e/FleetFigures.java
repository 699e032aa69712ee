package io.wasmplane.e2e;

import java.util.List;

/**
 * What one configuration of the fleet benchmark measured, on a fresh control plane.
 *
 * @param moduleSize bytes of each module
 * @param proxies simulated proxies
 * @param configure the first configuration of every proxy, from the first connect
 * @param configEdits the config-only edits, one per round
 * @param moduleChange the switch of every plugin to another module
 * @param peakRssKiB the control plane's VmHWM at the end
 * @param counters fleet-wide downloads, NACKs, bypassed filters, duplicate fetches, identical
 *     resends
 */
record FleetFigures(
    int moduleSize,
    int proxies,
    FleetEdit configure,
    List<FleetEdit> configEdits,
    FleetEdit moduleChange,
    long peakRssKiB,
    long[] counters) {

  /** Median across the config-only rounds of each round's p50. */
  double configP50() {
    return FleetEdit.median(configEdits.stream().mapToDouble(FleetEdit::p50).toArray());
  }

  /** Median across the config-only rounds of each round's p99. */
  double configP99() {
    return FleetEdit.median(configEdits.stream().mapToDouble(FleetEdit::p99).toArray());
  }

  /** Median across the config-only rounds of the mean bytes per proxy. */
  double configBytesMean() {
    return FleetEdit.median(configEdits.stream().mapToDouble(FleetEdit::meanBytes).toArray());
  }

  /** The most bytes one proxy received in any config-only round. */
  long configBytesMax() {
    return configEdits.stream().mapToLong(FleetEdit::maxBytes).max().orElse(0);
  }

  long downloads() {
    return counters[0];
  }

  long nacks() {
    return counters[1];
  }

  long bypassed() {
    return counters[2];
  }

  long duplicateFetches() {
    return counters[3];
  }
}
