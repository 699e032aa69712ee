package io.wasmplane.operator.resolve;

import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.plugin.TargetRef;
import io.wasmplane.operator.plugin.TrafficSelector;
import io.wasmplane.xds.Direction;
import io.wasmplane.xds.FilterType;
import io.wasmplane.xds.ListenerSpec;
import io.wasmplane.xds.Protocol;
import io.wasmplane.xds.ProxyIdentity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Decides, for one proxy, which plugins run on each of its listeners and in what order. A pure
 * function of the plugins, the proxy and the root namespace.
 */
public final class ChainResolver {
  /** The label Gateway API implementations put on a Gateway's Pods, naming the Gateway. */
  static final String GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";

  /** The label Istio put on its gateways' Pods before the Gateway API one. */
  static final String ISTIO_GATEWAY_NAME = "istio.io/gateway-name";

  /** The label some implementations put on a Gateway's Pods, naming its GatewayClass. */
  static final String GATEWAY_CLASS_NAME = "gateway.networking.k8s.io/gateway-class-name";

  private final String rootNamespace;
  private final GatewayClasses gatewayClasses;

  public ChainResolver(String rootNamespace) {
    this(rootNamespace, GatewayClasses.NONE);
  }

  /**
   * @param rootNamespace plugins here apply in every namespace
   * @param gatewayClasses the class of each Gateway, for GatewayClass attachments
   */
  public ChainResolver(String rootNamespace, GatewayClasses gatewayClasses) {
    this.rootNamespace = rootNamespace;
    this.gatewayClasses = gatewayClasses;
  }

  public List<ResolvedListener> resolve(Collection<PluginSpec> plugins, ProxyIdentity proxy) {
    List<PluginSpec> selected =
        plugins.stream().filter(p -> selectsWorkload(p, proxy)).sorted(PluginOrder.CHAIN).toList();
    List<ResolvedListener> listeners = new ArrayList<>();
    for (ListenerSpec listener : proxy.listeners()) {
      List<PluginSpec> network = new ArrayList<>();
      List<PluginSpec> http = new ArrayList<>();
      for (PluginSpec plugin : selected) {
        if (!matchesTraffic(plugin, listener)) {
          continue;
        }
        if (plugin.type() == FilterType.NETWORK) {
          network.add(plugin);
        } else if (listener.protocol() == Protocol.HTTP) {
          http.add(plugin);
        }
      }
      listeners.add(new ResolvedListener(listener, network, http));
    }
    return listeners;
  }

  /**
   * Namespace (or root namespace) and label selector; or, for a plugin with {@code targetRefs},
   * whether the proxy belongs to a Gateway one of them names.
   */
  public boolean selectsWorkload(PluginSpec plugin, ProxyIdentity proxy) {
    if (!plugin.namespace().equals(rootNamespace)
        && !plugin.namespace().equals(proxy.namespace())) {
      return false;
    }
    if (!plugin.targetRefs().isEmpty()) {
      return plugin.targetRefs().stream().anyMatch(ref -> attaches(plugin, ref, proxy));
    }
    Map<String, String> selector = plugin.selector();
    if (selector == null) {
      return true;
    }
    Map<String, String> labels = proxy.labels();
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /**
   * A Gateway reference selects the Pods of that Gateway in the plugin's namespace; a GatewayClass
   * reference, from the root namespace only, the Pods of every Gateway of that class.
   */
  private boolean attaches(PluginSpec plugin, TargetRef ref, ProxyIdentity proxy) {
    Map<String, String> labels = proxy.labels();
    String gateway = labels.getOrDefault(GATEWAY_NAME, labels.get(ISTIO_GATEWAY_NAME));
    if (ref.gateway()) {
      return (ref.namespace().isEmpty() || ref.namespace().equals(plugin.namespace()))
          && plugin.namespace().equals(proxy.namespace())
          && ref.name().equals(gateway);
    }
    if (ref.gatewayClass() && plugin.namespace().equals(rootNamespace)) {
      if (ref.name().equals(labels.get(GATEWAY_CLASS_NAME))) {
        return true;
      }
      return gateway != null
          && gatewayClasses
              .classOf(proxy.namespace(), gateway)
              .map(ref.name()::equals)
              .orElse(false);
    }
    return false;
  }

  /** {@code match}: any selector whose mode and ports fit the listener. */
  static boolean matchesTraffic(PluginSpec plugin, ListenerSpec listener) {
    if (plugin.match().isEmpty()) {
      return true;
    }
    for (TrafficSelector selector : plugin.match()) {
      boolean direction =
          switch (selector.mode()) {
            case SERVER -> listener.direction() == Direction.INBOUND;
            case CLIENT -> listener.direction() == Direction.OUTBOUND;
            case CLIENT_AND_SERVER -> true;
          };
      if (direction
          && (selector.ports().isEmpty() || selector.ports().contains(listener.matchPort()))) {
        return true;
      }
    }
    return false;
  }
}
