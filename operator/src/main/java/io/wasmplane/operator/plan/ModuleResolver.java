package io.wasmplane.operator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.plugin.PluginSpec;
import java.util.Collection;
import java.util.Map;

/** Says where a plugin's module stands: ready, being fetched, or failed. */
public interface ModuleResolver {
  ModuleStatus status(PluginSpec plugin);

  /** The Secrets currently known, by {@code namespace/name}, for pull credentials. */
  default void secrets(Map<String, JsonNode> secrets) {}

  /** The plugins now live; state for others may be dropped and their modules evicted. */
  default void retain(Collection<PluginSpec> live) {}
}
