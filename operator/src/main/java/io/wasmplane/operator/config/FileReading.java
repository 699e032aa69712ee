package io.wasmplane.operator.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.plugin.PluginSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one file of a config directory holds at one reading.
 *
 * @param source the file's path relative to the directory
 * @param plugins the accepted WasmPlugins, in file order
 * @param secrets the accepted Secrets by {@code namespace/name}, in file order
 * @param rejected the documents that were not accepted, and why
 */
public record FileReading(
    String source,
    List<PluginSpec> plugins,
    Map<String, JsonNode> secrets,
    List<RejectedDocument> rejected) {
  public FileReading {
    plugins = List.copyOf(plugins);
    secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    rejected = List.copyOf(rejected);
  }

  /** A file none of whose documents could be read. */
  static FileReading unreadable(String source, String message) {
    return new FileReading(
        source,
        List.of(),
        Map.of(),
        List.of(new RejectedDocument("", "", List.of(new ConfigProblem(source, "", "", message)))));
  }

  /** Every problem of the file, in document order. */
  public List<ConfigProblem> problems() {
    return rejected.stream().flatMap(r -> r.problems().stream()).toList();
  }
}
