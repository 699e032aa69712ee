package io.wasmplane.crd;

import io.wasmplane.testbed.KubeApiServer;

/** Installs the WasmPlugin CRD into a test apiserver and waits until it is Established. */
final class WasmPluginCrdInstaller {
  private WasmPluginCrdInstaller() {}

  static void install(KubeApiServer api) {
    api.kubectl(WasmPluginCrd.yaml(), "apply", "--server-side", "--force-conflicts", "-f", "-")
        .orThrow();
    api.kubectl(
            null,
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/" + WasmPluginCrd.NAME)
        .orThrow();
  }
}
