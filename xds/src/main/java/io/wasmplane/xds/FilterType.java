package io.wasmplane.xds;

/** Where a Wasm plugin runs: in the HTTP connection manager, or as a network filter. */
public enum FilterType {
  HTTP,
  NETWORK
}
