package io.wasmplane.operator.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of a config directory, file by file.
 *
 * @param files each config file's reading, in path order
 * @param listingProblems why the directory could not be listed; when there are any, {@code files}
 *     is incomplete
 */
public record DirectoryReading(List<FileReading> files, List<ConfigProblem> listingProblems) {
  /** The reading before the first one. */
  public static final DirectoryReading EMPTY = new DirectoryReading(List.of(), List.of());

  public DirectoryReading {
    files = List.copyOf(files);
    listingProblems = List.copyOf(listingProblems);
  }

  /** Whether every file of the directory was listed. */
  public boolean complete() {
    return listingProblems.isEmpty();
  }

  /** The plugins, Secrets and problems of all files together. */
  public ConfigSnapshot snapshot() {
    List<PluginSpec> plugins = new ArrayList<>();
    Map<String, JsonNode> secrets = new LinkedHashMap<>();
    List<ConfigProblem> problems = new ArrayList<>(listingProblems);
    for (FileReading file : files) {
      plugins.addAll(file.plugins());
      secrets.putAll(file.secrets());
      problems.addAll(file.problems());
    }
    return new ConfigSnapshot(plugins, secrets, problems);
  }
}
