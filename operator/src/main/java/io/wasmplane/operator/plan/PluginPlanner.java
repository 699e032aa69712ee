package io.wasmplane.operator.plan;

import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.resolve.ChainResolver;
import io.wasmplane.operator.resolve.ResolvedListener;
import io.wasmplane.xds.ExtensionOffer;
import io.wasmplane.xds.ListenerPlan;
import io.wasmplane.xds.ProxyIdentity;
import io.wasmplane.xds.ProxyPlan;
import io.wasmplane.xds.ProxyPlanner;
import io.wasmplane.xds.WasmFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans each proxy from the current {@link ConfigState}: resolution picks and orders the plugins,
 * and each one becomes its offer. Listeners name every plugin that selects the proxy, whatever its
 * module's state; what a proxy is sent for a plugin is its last good version, so a pending or
 * failed module never takes a running plugin away and a new spec goes out only with its module.
 */
public final class PluginPlanner implements ProxyPlanner {
  private final ChainResolver resolver;
  private volatile AppliedConfig applied = AppliedConfig.EMPTY;

  public PluginPlanner(ChainResolver resolver) {
    this.resolver = resolver;
  }

  /** Installs a new configuration; callers then ask the xDS server to replan. */
  public void update(ConfigState state) {
    update(state, List.of(), Map.of());
  }

  /**
   * Installs a new configuration with what its source could not accept and the generation of each
   * plugin, all published at once; callers then ask the xDS server to replan.
   */
  public synchronized void update(
      ConfigState state, List<ConfigProblem> problems, Map<PluginRef, Long> generations) {
    Map<PluginRef, ExtensionOffer> previous = applied.offers();
    Map<PluginRef, ExtensionOffer> offers = new HashMap<>();
    for (PluginSpec plugin : state.plugins()) {
      offers.put(plugin.ref(), offer(plugin, state.modules().get(plugin.ref()), previous));
    }
    applied = new AppliedConfig(state, offers, problems, generations);
  }

  /** The plugin's offer: its current pair when the module is ready, else its last good one. */
  static ExtensionOffer offer(
      PluginSpec plugin, ModuleStatus module, Map<PluginRef, ExtensionOffer> previous) {
    String name = plugin.ref().ecdsName();
    if (module instanceof ModuleStatus.Ready ready) {
      return ExtensionOffer.of(ExtensionFactory.wasm(plugin, ready.source()));
    }
    ExtensionOffer before = previous.get(plugin.ref());
    WasmFilter good = before == null ? null : before.good();
    if (good != null && good.type() != plugin.type()) {
      // The listeners now hold the plugin as the other filter type; the old one cannot stand in.
      good = null;
    }
    if (good != null) {
      return ExtensionOffer.of(good);
    }
    return module instanceof ModuleStatus.Failed
        ? new ExtensionOffer(name, null, ExtensionFactory.standIn(plugin))
        : new ExtensionOffer(name, null, null);
  }

  /** The configuration in force. */
  public AppliedConfig applied() {
    return applied;
  }

  public ConfigState state() {
    return applied.state();
  }

  /** The offer for plugin {@code ref} in the current configuration, or null. */
  public ExtensionOffer offer(PluginRef ref) {
    return applied.offer(ref);
  }

  @Override
  public ProxyPlan plan(ProxyIdentity proxy) {
    AppliedConfig current = applied;
    List<ListenerPlan> listeners = new ArrayList<>();
    Map<String, ExtensionOffer> used = new HashMap<>();
    for (ResolvedListener listener : resolver.resolve(current.state().plugins(), proxy)) {
      listeners.add(
          new ListenerPlan(
              listener.listener(),
              names(listener.network(), current, used),
              names(listener.http(), current, used)));
    }
    return new ProxyPlan(listeners, used);
  }

  private static List<String> names(
      List<PluginSpec> plugins, AppliedConfig current, Map<String, ExtensionOffer> used) {
    List<String> names = new ArrayList<>();
    for (PluginSpec plugin : plugins) {
      ExtensionOffer offer = current.offers().get(plugin.ref());
      names.add(offer.name());
      used.put(offer.name(), offer);
    }
    return names;
  }
}
