package io.wasmplane.crd;

/** Which rules a shared check applies: Istio's CRD exactly, or Wasmplane's stricter WasmPlugin. */
enum Strictness {
  /** Istio's schema and CEL rules, unchanged: the TrafficExtension CRD. */
  ISTIO,
  /** Istio's rules plus those its API reference states and Istio leaves unchecked: WasmPlugin. */
  WASMPLANE
}
