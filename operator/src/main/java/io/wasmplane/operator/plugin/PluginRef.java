package io.wasmplane.operator.plugin;

/** A WasmPlugin's namespace and name. */
public record PluginRef(String namespace, String name) implements Comparable<PluginRef> {
  @Override
  public int compareTo(PluginRef other) {
    int byNamespace = namespace.compareTo(other.namespace);
    return byNamespace != 0 ? byNamespace : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
