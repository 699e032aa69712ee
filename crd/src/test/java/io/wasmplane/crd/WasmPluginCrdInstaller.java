package io.wasmplane.crd;

import io.wasmplane.testbed.KubeApiServer;

/** Installs our CRDs into a test apiserver and waits until each is Established. */
final class WasmPluginCrdInstaller {
  private WasmPluginCrdInstaller() {}

  static void install(KubeApiServer api) {
    install(api, WasmPluginCrd.yaml(), WasmPluginCrd.NAME);
  }

  static void installTrafficExtension(KubeApiServer api) {
    install(api, TrafficExtensionCrd.yaml(), TrafficExtensionCrd.NAME);
  }

  private static void install(KubeApiServer api, String yaml, String name) {
    api.kubectl(yaml, "apply", "--server-side", "--force-conflicts", "-f", "-").orThrow();
    api.kubectl(null, "wait", "--for=condition=Established", "--timeout=60s", "crd/" + name)
        .orThrow();
  }
}
