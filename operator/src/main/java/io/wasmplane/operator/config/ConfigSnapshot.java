package io.wasmplane.operator.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import java.util.List;
import java.util.Map;

/**
 * What a config source holds at one moment.
 *
 * @param plugins valid WasmPlugins
 * @param secrets Secrets by {@code namespace/name}, for pull credentials
 * @param problems everything that was skipped, with reasons
 * @param generations the {@code metadata.generation} each plugin was read at, valid or not, where
 *     the source has generations (Kubernetes); status is written only for the generation read
 */
public record ConfigSnapshot(
    List<PluginSpec> plugins,
    Map<String, JsonNode> secrets,
    List<ConfigProblem> problems,
    Map<PluginRef, Long> generations) {
  public ConfigSnapshot {
    plugins = List.copyOf(plugins);
    secrets = Map.copyOf(secrets);
    problems = List.copyOf(problems);
    generations = Map.copyOf(generations);
  }

  /** A reading from a source without generations. */
  public ConfigSnapshot(
      List<PluginSpec> plugins, Map<String, JsonNode> secrets, List<ConfigProblem> problems) {
    this(plugins, secrets, problems, Map.of());
  }
}
