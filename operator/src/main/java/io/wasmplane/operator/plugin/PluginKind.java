package io.wasmplane.operator.plugin;

/**
 * The kinds of resource that define plugins: Istio's WasmPlugin and its successor TrafficExtension
 * (Wasm or Lua). Both share one ordering in a chain; their ECDS names differ by kind.
 */
public enum PluginKind {
  WASM_PLUGIN("WasmPlugin"),
  TRAFFIC_EXTENSION("TrafficExtension");

  private final String kind;

  PluginKind(String kind) {
    this.kind = kind;
  }

  /** The Kubernetes kind, e.g. {@code TrafficExtension}. */
  public String kind() {
    return kind;
  }

  /** The kind in lower case, as ECDS names and messages use it. */
  public String segment() {
    return kind.toLowerCase(java.util.Locale.ROOT);
  }
}
