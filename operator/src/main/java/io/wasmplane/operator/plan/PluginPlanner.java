package io.wasmplane.operator.plan;

import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.resolve.ChainResolver;
import io.wasmplane.operator.resolve.ResolvedListener;
import io.wasmplane.xds.ListenerPlan;
import io.wasmplane.xds.ProxyIdentity;
import io.wasmplane.xds.ProxyPlan;
import io.wasmplane.xds.ProxyPlanner;
import io.wasmplane.xds.WasmExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans each proxy from the current {@link ConfigState}: resolution picks and orders the plugins,
 * and each one becomes its extension. A plugin whose module is still pending is left out of LDS.
 */
public final class PluginPlanner implements ProxyPlanner {
  private final ChainResolver resolver;
  private volatile Compiled compiled = new Compiled(ConfigState.EMPTY, Map.of());

  /** A config state with each plugin's extension built once. */
  private record Compiled(ConfigState state, Map<PluginSpec, WasmExtension> extensions) {}

  public PluginPlanner(ChainResolver resolver) {
    this.resolver = resolver;
  }

  /** Installs a new configuration; callers then ask the xDS server to replan. */
  public void update(ConfigState state) {
    Map<PluginSpec, WasmExtension> extensions = new HashMap<>();
    for (PluginSpec plugin : state.plugins()) {
      WasmExtension extension = ExtensionFactory.build(plugin, state.modules().get(plugin.ref()));
      if (extension != null) {
        extensions.put(plugin, extension);
      }
    }
    compiled = new Compiled(state, Map.copyOf(extensions));
  }

  public ConfigState state() {
    return compiled.state();
  }

  public ChainResolver resolver() {
    return resolver;
  }

  @Override
  public ProxyPlan plan(ProxyIdentity proxy) {
    Compiled current = compiled;
    List<ListenerPlan> listeners = new ArrayList<>();
    Map<String, WasmExtension> used = new HashMap<>();
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
      List<PluginSpec> plugins, Compiled current, Map<String, WasmExtension> used) {
    List<String> names = new ArrayList<>();
    for (PluginSpec plugin : plugins) {
      WasmExtension extension = current.extensions().get(plugin);
      if (extension != null) {
        names.add(extension.name());
        used.put(extension.name(), extension);
      }
    }
    return names;
  }
}
