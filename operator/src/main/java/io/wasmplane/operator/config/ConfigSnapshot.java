package io.wasmplane.operator.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.plugin.PluginSpec;
import java.util.List;
import java.util.Map;

/**
 * What a config source holds at one moment.
 *
 * @param plugins valid WasmPlugins
 * @param secrets Secrets by {@code namespace/name}, for pull credentials
 * @param problems everything that was skipped, with reasons
 */
public record ConfigSnapshot(
    List<PluginSpec> plugins, Map<String, JsonNode> secrets, List<ConfigProblem> problems) {
  public ConfigSnapshot {
    plugins = List.copyOf(plugins);
    secrets = Map.copyOf(secrets);
    problems = List.copyOf(problems);
  }
}
