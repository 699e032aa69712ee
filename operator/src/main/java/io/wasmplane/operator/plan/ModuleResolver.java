package io.wasmplane.operator.plan;

import io.wasmplane.operator.plugin.PluginSpec;

/** Says where a plugin's module stands: ready, being fetched, or failed. */
public interface ModuleResolver {
  ModuleStatus status(PluginSpec plugin);
}
