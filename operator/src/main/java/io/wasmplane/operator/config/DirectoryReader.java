package io.wasmplane.operator.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.crd.Violation;
import io.wasmplane.crd.WasmPluginValidator;
import io.wasmplane.operator.plugin.PluginParser;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads every WasmPlugin and Secret from a directory of YAML files. Invalid documents are reported
 * and skipped; they never stop the others.
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

  public static ConfigSnapshot read(Path dir) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<PluginRef, PluginSpec> plugins = new LinkedHashMap<>();
    Map<PluginRef, String> origins = new LinkedHashMap<>();
    Map<String, JsonNode> secrets = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(DirectoryReader::isConfigFile)
              .filter(f -> !hiddenDirectory(dir, f))
              .sorted()
              .toList();
    } catch (IOException e) {
      problems.add(new ConfigProblem(dir.toString(), "", "", "cannot list: " + e.getMessage()));
      return new ConfigSnapshot(List.of(), Map.of(), problems);
    }
    for (Path file : files) {
      String source = dir.relativize(file).toString();
      for (JsonNode doc : documents(file, source, problems)) {
        if (doc == null || doc.isNull() || doc.isEmpty()) {
          continue;
        }
        String kind = doc.path("kind").asText("");
        if (!doc.isObject()) {
          problems.add(new ConfigProblem(source, "", "", "document is not a YAML map"));
          continue;
        }
        ObjectNode object = (ObjectNode) doc;
        if (!object.path("metadata").path("namespace").isTextual()
            && object.path("metadata").isObject()) {
          ((ObjectNode) object.get("metadata")).put("namespace", "default");
        }
        String resource =
            kind
                + " "
                + object.path("metadata").path("namespace").asText("default")
                + "/"
                + object.path("metadata").path("name").asText("?");
        switch (kind) {
          case "WasmPlugin" -> {
            if (!"extensions.istio.io/v1alpha1".equals(doc.path("apiVersion").asText())) {
              problems.add(
                  new ConfigProblem(
                      source,
                      resource,
                      "apiVersion",
                      "must be extensions.istio.io/v1alpha1, got \""
                          + doc.path("apiVersion").asText()
                          + "\""));
              continue;
            }
            List<Violation> violations = WasmPluginValidator.validate(doc);
            if (!violations.isEmpty()) {
              violations.forEach(
                  v -> problems.add(new ConfigProblem(source, resource, v.field(), v.message())));
              continue;
            }
            PluginSpec plugin = PluginParser.parse(doc);
            String first = origins.putIfAbsent(plugin.ref(), source);
            if (first != null) {
              problems.add(
                  new ConfigProblem(
                      source, resource, "metadata.name", "duplicate of the one in " + first));
              continue;
            }
            plugins.put(plugin.ref(), plugin);
          }
          case "Secret" ->
              secrets.put(
                  object.path("metadata").path("namespace").asText()
                      + "/"
                      + object.path("metadata").path("name").asText(),
                  doc);
          default ->
              problems.add(
                  new ConfigProblem(
                      source,
                      resource,
                      "kind",
                      "only WasmPlugin and Secret are read here, not \"" + kind + "\""));
        }
      }
    }
    return new ConfigSnapshot(List.copyOf(plugins.values()), secrets, problems);
  }

  private static boolean hiddenDirectory(Path root, Path file) {
    for (Path part : root.relativize(file.getParent() == null ? root : file.getParent())) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static List<JsonNode> documents(Path file, String source, List<ConfigProblem> problems) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNextValue()) {
        docs.add(it.nextValue());
      }
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      problems.add(
          new ConfigProblem(
              source,
              "",
              "",
              "not valid YAML"
                  + where
                  + ": "
                  + e.getOriginalMessage().lines().findFirst().orElse("").trim()));
      return List.of();
    } catch (IOException e) {
      problems.add(new ConfigProblem(source, "", "", "cannot read: " + e.getMessage()));
      return List.of();
    }
    return docs;
  }
}
