package io.wasmplane.operator.config;

import static io.wasmplane.operator.config.RejectedDocument.SECRET;
import static io.wasmplane.operator.config.RejectedDocument.TRAFFIC_EXTENSION;
import static io.wasmplane.operator.config.RejectedDocument.WASM_PLUGIN;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.crd.Violation;
import io.wasmplane.operator.plugin.PluginKind;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads every WasmPlugin, TrafficExtension and Secret from a directory of YAML files, file by file.
 * An invalid document is reported with the resource it names, and never stops the others.
 */
public final class DirectoryReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private DirectoryReader() {}

  /** Whether the watcher should read {@code file}: YAML, not hidden, not an editor temp file. */
  public static boolean isConfigFile(Path file) {
    String name = file.getFileName().toString();
    if (name.startsWith(".") || name.startsWith("#") || name.endsWith("~")) {
      return false;
    }
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** Reads every config file under {@code dir}, in path order. */
  public static DirectoryReading read(Path dir) {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths =
          walk.filter(Files::isRegularFile)
              .filter(DirectoryReader::isConfigFile)
              .filter(f -> !hiddenDirectory(dir, f))
              .sorted()
              .toList();
    } catch (IOException | UncheckedIOException e) {
      Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
      return new DirectoryReading(
          List.of(),
          List.of(new ConfigProblem(dir.toString(), "", "", "cannot list: " + cause.getMessage())));
    }
    List<FileReading> files = new ArrayList<>();
    for (Path path : paths) {
      String source = dir.relativize(path).toString();
      try {
        files.add(parseFile(source, Files.readString(path)));
      } catch (IOException e) {
        files.add(FileReading.unreadable(source, "cannot read: " + e.getMessage()));
      }
    }
    return new DirectoryReading(withoutDuplicates(files), List.of());
  }

  /** Reads files given as {@code source -> YAML text}, as {@link #read} reads a directory. */
  static DirectoryReading parse(Map<String, String> texts) {
    List<FileReading> files =
        new TreeMap<>(texts)
            .entrySet().stream().map(e -> parseFile(e.getKey(), e.getValue())).toList();
    return new DirectoryReading(withoutDuplicates(files), List.of());
  }

  private static FileReading parseFile(String source, String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        docs.add(it.nextValue());
      }
    } catch (JsonProcessingException e) {
      return FileReading.unreadable(source, yamlMessage(e));
    } catch (IOException e) {
      return FileReading.unreadable(source, "cannot read: " + e.getMessage());
    }
    List<PluginSpec> plugins = new ArrayList<>();
    Map<String, JsonNode> secrets = new LinkedHashMap<>();
    List<RejectedDocument> rejected = new ArrayList<>();
    for (JsonNode doc : docs) {
      if (doc == null || doc.isNull() || (doc.isContainerNode() && doc.isEmpty())) {
        continue;
      }
      if (!doc.isObject()) {
        rejected.add(
            new RejectedDocument(
                "", "", List.of(new ConfigProblem(source, "", "", "document is not a YAML map"))));
        continue;
      }
      ObjectNode object = (ObjectNode) doc;
      if (!object.path("metadata").path("namespace").isTextual()
          && object.path("metadata").isObject()) {
        ((ObjectNode) object.get("metadata")).put("namespace", "default");
      }
      String kind = doc.path("kind").asText("");
      String key = key(doc);
      String resource =
          kind
              + " "
              + doc.path("metadata").path("namespace").asText("default")
              + "/"
              + (key.isEmpty() ? "?" : doc.path("metadata").path("name").asText());
      List<ConfigProblem> problems = problems(source, resource, kind, key, doc);
      if (!problems.isEmpty()) {
        rejected.add(new RejectedDocument(kind, key, problems));
      } else if (kind.equals(WASM_PLUGIN) || kind.equals(TRAFFIC_EXTENSION)) {
        try {
          plugins.add(PluginKind.named(kind).orElseThrow().parse(doc));
        } catch (RuntimeException e) {
          // Valid by the schema, yet not something Wasmplane can read (e.g. an opaque url).
          rejected.add(
              new RejectedDocument(
                  kind,
                  key,
                  List.of(new ConfigProblem(source, resource, "spec", "cannot be read: " + e))));
        }
      } else {
        secrets.put(key, doc);
      }
    }
    return new FileReading(source, plugins, secrets, rejected);
  }

  /** {@code namespace/name} of a document, or empty when it has no name. */
  private static String key(JsonNode doc) {
    JsonNode name = doc.path("metadata").path("name");
    if (!name.isValueNode() || name.asText().isEmpty()) {
      return "";
    }
    return doc.path("metadata").path("namespace").asText("default") + "/" + name.asText();
  }

  /** Why {@code doc} cannot be accepted; empty when it can. */
  private static List<ConfigProblem> problems(
      String source, String resource, String kind, String key, JsonNode doc) {
    return switch (kind) {
      case WASM_PLUGIN, TRAFFIC_EXTENSION -> {
        String apiVersion = doc.path("apiVersion").asText();
        if (!"extensions.istio.io/v1alpha1".equals(apiVersion)) {
          yield List.of(
              new ConfigProblem(
                  source,
                  resource,
                  "apiVersion",
                  "must be extensions.istio.io/v1alpha1, got \"" + apiVersion + "\""));
        }
        List<Violation> violations = PluginKind.named(kind).orElseThrow().validate(doc);
        yield violations.stream()
            .map(v -> new ConfigProblem(source, resource, v.field(), v.message()))
            .toList();
      }
      case SECRET ->
          key.isEmpty()
              ? List.of(
                  new ConfigProblem(
                      source, resource, "metadata.name", "Required value: name is required"))
              : List.of();
      default ->
          List.of(
              new ConfigProblem(
                  source,
                  resource,
                  "kind",
                  "only WasmPlugin, TrafficExtension and Secret are read here, not \""
                      + kind
                      + "\""));
    };
  }

  /** Rejects each plugin whose namespace and name an earlier document already holds. */
  private static List<FileReading> withoutDuplicates(List<FileReading> files) {
    Map<PluginRef, String> origins = new HashMap<>();
    List<FileReading> result = new ArrayList<>();
    for (FileReading file : files) {
      List<PluginSpec> plugins = new ArrayList<>();
      List<RejectedDocument> rejected = new ArrayList<>(file.rejected());
      for (PluginSpec plugin : file.plugins()) {
        String first = origins.putIfAbsent(plugin.ref(), file.source());
        if (first == null) {
          plugins.add(plugin);
          continue;
        }
        String kind = plugin.ref().kind().kind();
        String key = plugin.namespace() + "/" + plugin.name();
        ConfigProblem duplicate =
            new ConfigProblem(
                file.source(),
                kind + " " + key,
                "metadata.name",
                "duplicate of the one in " + first);
        rejected.add(new RejectedDocument(kind, key, List.of(duplicate)));
      }
      result.add(new FileReading(file.source(), plugins, file.secrets(), rejected));
    }
    return result;
  }

  private static boolean hiddenDirectory(Path root, Path file) {
    for (Path part : root.relativize(file.getParent() == null ? root : file.getParent())) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String yamlMessage(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return "not valid YAML"
        + where
        + ": "
        + e.getOriginalMessage().lines().findFirst().orElse("").trim();
  }
}
