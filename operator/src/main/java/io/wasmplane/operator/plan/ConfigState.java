package io.wasmplane.operator.plan;

import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import java.util.List;
import java.util.Map;

/**
 * The accepted plugins and their module status at one moment: everything planning needs.
 *
 * @param plugins accepted plugins
 * @param modules module status per plugin
 */
public record ConfigState(List<PluginSpec> plugins, Map<PluginRef, ModuleStatus> modules) {
  public static final ConfigState EMPTY = new ConfigState(List.of(), Map.of());

  public ConfigState {
    plugins = List.copyOf(plugins);
    modules = Map.copyOf(modules);
  }
}
