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

  /** The ECDS name of the WasmPlugin {@code namespace/name}. */
  static String resourceName(String namespace, String name) {
    return resourceName("wasmplugin", namespace, name);
  }

  /**
   * The ECDS name of the {@code kind} (lower case, e.g. {@code trafficextension}) {@code
   * namespace/name}: names are distinct per kind.
   */
  static String resourceName(String kind, String namespace, String name) {
    return "extensions.istio.io/" + kind + "/" + namespace + "." + name;
  }

  /** Whether the ECDS resource {@code name} may be a Lua filter: TrafficExtensions' may. */
  static boolean mayBeLua(String name) {
    return name.startsWith("extensions.istio.io/trafficextension/");
  }
}
