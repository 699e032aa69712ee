package io.wasmplane.operator.plugin;

/**
 * One {@code targetRefs} entry: the Gateway API object a plugin attaches to.
 *
 * @param group the API group; empty means the core group
 * @param kind the kind, e.g. {@code Gateway}
 * @param name the object's name
 * @param namespace the object's namespace, or empty for the plugin's own
 */
public record TargetRef(String group, String kind, String name, String namespace) {
  /** The Gateway API group, whose Gateway and GatewayClass kinds a plugin may attach to. */
  public static final String GATEWAY_API = "gateway.networking.k8s.io";

  public boolean gateway() {
    return GATEWAY_API.equals(group) && "Gateway".equals(kind);
  }

  public boolean gatewayClass() {
    return GATEWAY_API.equals(group) && "GatewayClass".equals(kind);
  }

  /** Whether Wasmplane attaches plugins to this kind. */
  public boolean supported() {
    return gateway() || gatewayClass();
  }

  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }
}
