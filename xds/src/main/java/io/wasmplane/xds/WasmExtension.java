package io.wasmplane.xds;

/**
 * One plugin as an ECDS resource: its Wasm filter, or the stand-in that takes its place under the
 * same name.
 */
public sealed interface WasmExtension permits WasmFilter, StandInFilter {
  /** ECDS resource name, {@code extensions.istio.io/wasmplugin/<namespace>.<name>}. */
  String name();

  /** HTTP or NETWORK filter. */
  FilterType type();

  /** Envoy {@code vm_id}: one VM per plugin. */
  String vmId();

  /** The ECDS name of the plugin {@code namespace/name}. */
  static String resourceName(String namespace, String name) {
    return "extensions.istio.io/wasmplugin/" + namespace + "." + name;
  }
}
