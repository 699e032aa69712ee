package io.wasmplane.operator.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.wasmplane.crd.Violation;
import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.plugin.PluginKind;
import io.wasmplane.operator.plugin.PluginSpec;
import java.util.List;

/**
 * What reconciling one WasmPlugin or TrafficExtension found: the parsed plugin or why it is
 * invalid, and the pull Secret it names as it stood then.
 *
 * @param plugin the accepted plugin, or null when the spec is invalid
 * @param problems why the spec is invalid; empty when it is accepted
 * @param secretKey {@code namespace/name} of the pull Secret, or null when none was found
 * @param secret the type and data of that Secret, or null
 * @param generation the {@code metadata.generation} read
 */
record PluginReading(
    PluginSpec plugin,
    List<ConfigProblem> problems,
    String secretKey,
    JsonNode secret,
    long generation) {
  private static final ObjectMapper JSON = new ObjectMapper();

  PluginReading {
    problems = List.copyOf(problems);
  }

  /**
   * A plugin that could not be read at all, as one problem.
   *
   * @param resource how the plugin is named in problems, e.g. {@code WasmPlugin ns/name}
   */
  static PluginReading unreadable(String resource, long generation, String message) {
    return new PluginReading(
        null,
        List.of(new ConfigProblem("kubernetes", resource, "", "cannot be read: " + message)),
        null,
        null,
        generation);
  }

  /** Validates and parses {@code resource}, of {@code kind} as JSON, beside its pull Secret. */
  static PluginReading read(PluginKind kind, JsonNode resource, Secret secret) {
    JsonNode metadata = resource.path("metadata");
    String id = kind.describe(metadata.path("namespace").asText(), metadata.path("name").asText());
    List<Violation> violations = kind.validate(resource);
    PluginSpec plugin = violations.isEmpty() ? kind.parse(resource) : null;
    List<ConfigProblem> problems =
        violations.stream()
            .map(v -> new ConfigProblem("kubernetes", id, v.field(), v.message()))
            .toList();
    long generation = metadata.path("generation").asLong(0);
    if (secret == null) {
      return new PluginReading(plugin, problems, null, null, generation);
    }
    ObjectNode credentials = JSON.createObjectNode();
    credentials.put("type", secret.getType());
    credentials.set("data", JSON.valueToTree(secret.getData()));
    credentials.set("stringData", JSON.valueToTree(secret.getStringData()));
    return new PluginReading(
        plugin,
        problems,
        secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(),
        credentials,
        generation);
  }
}
