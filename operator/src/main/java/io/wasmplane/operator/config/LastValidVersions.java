package io.wasmplane.operator.config;

import static io.wasmplane.operator.config.RejectedDocument.SECRET;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides what a config directory serves after an edit: an invalid edit keeps the last valid
 * version of the plugins and Secrets its file held, as an apiserver refusing the update would; only
 * deleting the file (or a valid edit without them) removes them.
 */
public final class LastValidVersions {
  static final String KEEPS_SERVING = ConfigProblem.KEEPS_SERVING;

  private LastValidVersions() {}

  /**
   * Merges a new reading of the directory into the previously accepted one. For each file with a
   * rejected document, every plugin or Secret the file held before that is not validly present now
   * keeps its previous version if the rejected document names it, or if the file (or one of its
   * documents) names nothing readable. The problems stay reported, saying which version serves.
   */
  public static DirectoryReading merge(DirectoryReading accepted, DirectoryReading current) {
    if (!current.complete()) {
      return new DirectoryReading(accepted.files(), current.listingProblems());
    }
    Set<PluginRef> validPlugins = new LinkedHashSet<>();
    Set<String> validSecrets = new LinkedHashSet<>();
    for (FileReading file : current.files()) {
      file.plugins().forEach(p -> validPlugins.add(p.ref()));
      validSecrets.addAll(file.secrets().keySet());
    }
    Map<String, FileReading> before =
        accepted.files().stream()
            .collect(Collectors.toMap(FileReading::source, Function.identity()));
    List<FileReading> files = new ArrayList<>();
    for (FileReading file : current.files()) {
      FileReading old = before.get(file.source());
      files.add(
          old == null || file.rejected().isEmpty()
              ? file
              : keepLastValid(old, file, validPlugins, validSecrets));
    }
    return new DirectoryReading(files, List.of());
  }

  private static FileReading keepLastValid(
      FileReading old, FileReading now, Set<PluginRef> validPlugins, Set<String> validSecrets) {
    List<PluginSpec> plugins = new ArrayList<>(now.plugins());
    Map<String, JsonNode> secrets = new LinkedHashMap<>(now.secrets());
    List<Resource> kept = new ArrayList<>();
    for (PluginSpec plugin : old.plugins()) {
      Resource resource =
          new Resource(plugin.ref().kind().kind(), plugin.namespace() + "/" + plugin.name());
      if (!validPlugins.contains(plugin.ref()) && keeps(now, resource)) {
        kept.add(resource);
        plugins.add(plugin);
      }
    }
    for (Map.Entry<String, JsonNode> secret : old.secrets().entrySet()) {
      Resource resource = new Resource(SECRET, secret.getKey());
      if (!validSecrets.contains(secret.getKey()) && keeps(now, resource)) {
        kept.add(resource);
        secrets.put(secret.getKey(), secret.getValue());
      }
    }
    List<Resource> keptForFile =
        kept.stream().filter(r -> now.rejected().stream().noneMatch(r::namedBy)).toList();
    List<RejectedDocument> rejected = new ArrayList<>();
    for (RejectedDocument doc : now.rejected()) {
      List<ConfigProblem> problems = doc.problems();
      if (doc.unidentified() && !keptForFile.isEmpty()) {
        problems =
            problems.stream()
                .flatMap(p -> keptForFile.stream().map(r -> keepsServing(p, r.toString())))
                .toList();
      } else if (!doc.unidentified() && kept.stream().anyMatch(r -> r.namedBy(doc))) {
        problems = problems.stream().map(p -> keepsServing(p, p.resource())).toList();
      }
      rejected.add(new RejectedDocument(doc.kind(), doc.key(), problems));
    }
    return new FileReading(now.source(), plugins, secrets, rejected);
  }

  /** Whether a rejected document of the file names {@code resource}, or one names nothing. */
  private static boolean keeps(FileReading now, Resource resource) {
    return now.rejected().stream().anyMatch(doc -> doc.unidentified() || resource.namedBy(doc));
  }

  private static ConfigProblem keepsServing(ConfigProblem problem, String resource) {
    return new ConfigProblem(problem.source(), resource, problem.field(), problem.message())
        .lastValidServes();
  }

  /** A plugin or Secret by kind and {@code namespace/name}. */
  private record Resource(String kind, String key) {
    boolean namedBy(RejectedDocument doc) {
      return doc.names(kind, key);
    }

    @Override
    public String toString() {
      return kind + " " + key;
    }
  }
}
