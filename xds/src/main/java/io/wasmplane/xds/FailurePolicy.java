package io.wasmplane.xds;

/** What Envoy does when a plugin's VM fails; mirrors Envoy's {@code wasm.v3.FailurePolicy}. */
public enum FailurePolicy {
  FAIL_CLOSED,
  FAIL_OPEN,
  FAIL_RELOAD
}
