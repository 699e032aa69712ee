package io.wasmplane.xds;

/** Which way traffic flows through a proxy listener. */
public enum Direction {
  /** Traffic to the workload: WasmPlugin {@code match.mode: SERVER}. */
  INBOUND,
  /** Traffic from the workload or through a gateway: WasmPlugin {@code match.mode: CLIENT}. */
  OUTBOUND
}
