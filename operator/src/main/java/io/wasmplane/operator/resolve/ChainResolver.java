package io.wasmplane.operator.resolve;

import io.wasmplane.operator.plugin.PluginSpec;
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
  private final String rootNamespace;

  public ChainResolver(String rootNamespace) {
    this.rootNamespace = rootNamespace;
  }

  public List<ResolvedListener> resolve(Collection<PluginSpec> plugins, ProxyIdentity proxy) {
    List<PluginSpec> selected =
        plugins.stream()
            .filter(p -> !p.targetRefs())
            .filter(p -> selectsWorkload(p, proxy))
            .sorted(PluginOrder.CHAIN)
            .toList();
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

  /** Namespace (or root namespace) and label selector. */
  public boolean selectsWorkload(PluginSpec plugin, ProxyIdentity proxy) {
    if (!plugin.namespace().equals(rootNamespace)
        && !plugin.namespace().equals(proxy.namespace())) {
      return false;
    }
    Map<String, String> selector = plugin.selector();
    if (selector == null) {
      return true;
    }
    Map<String, String> labels = proxy.labels();
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
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
