package io.wasmplane.operator.plugin;

import io.wasmplane.xds.WasmExtension;

/**
 * A plugin resource's kind, namespace and name.
 *
 * @param kind WasmPlugin or TrafficExtension
 * @param namespace its namespace
 * @param name its name
 */
public record PluginRef(PluginKind kind, String namespace, String name)
    implements Comparable<PluginRef> {
  /** A WasmPlugin's reference. */
  public PluginRef(String namespace, String name) {
    this(PluginKind.WASM_PLUGIN, namespace, name);
  }

  /** The plugin's ECDS resource name, distinct per kind. */
  public String ecdsName() {
    return WasmExtension.resourceName(kind.segment(), namespace, name);
  }

  @Override
  public int compareTo(PluginRef other) {
    int byNamespace = namespace.compareTo(other.namespace);
    if (byNamespace != 0) {
      return byNamespace;
    }
    int byName = name.compareTo(other.name);
    return byName != 0 ? byName : kind.compareTo(other.kind);
  }

  /** {@code namespace/name} for a WasmPlugin; other kinds are named first. */
  @Override
  public String toString() {
    return (kind == PluginKind.WASM_PLUGIN ? "" : kind.segment() + " ") + namespace + "/" + name;
  }
}
