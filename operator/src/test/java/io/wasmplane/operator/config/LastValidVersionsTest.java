package io.wasmplane.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.plugin.PluginSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Table-driven checks of what a config directory serves after valid, invalid and deleted files. */
class LastValidVersionsTest {
  private static final String BROKEN = "kind: WasmPlugin\n  x: [\n";

  /** A plugin in namespace shop whose pluginConfig is {@code {v: version}}. */
  private static String plugin(String name, int version, String extra) {
    return "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: "
        + name
        + ", namespace: shop}\nspec:\n  url: file:///p.wasm\n  pluginConfig: {v: "
        + version
        + "}\n"
        + extra;
  }

  private static String plugin(String name, int version) {
    return plugin(name, version, "");
  }

  private static String invalid(String name, int version) {
    return plugin(name, version, "  phase: AUTHX\n");
  }

  /** A Secret in namespace shop whose label v is {@code version}. */
  private static String secret(String name, int version) {
    return "apiVersion: v1\nkind: Secret\nmetadata: {name: "
        + name
        + ", namespace: shop, labels: {v: \""
        + version
        + "\"}}\n";
  }

  private static String docs(String... docs) {
    return String.join("---\n", docs);
  }

  /**
   * One scenario: successive contents of the directory (file name to YAML), what serves after the
   * last one (resource to version), and which problems say a last valid version keeps serving.
   */
  record Case(
      String name,
      List<Map<String, String>> readings,
      Map<String, Integer> serving,
      Set<String> keptReported) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "a valid edit replaces the plugin",
            List.of(Map.of("a.yaml", plugin("a", 1)), Map.of("a.yaml", plugin("a", 2))),
            Map.of("WasmPlugin shop/a", 2),
            Set.of()),
        new Case(
            "an invalid edit keeps the last valid version",
            List.of(Map.of("a.yaml", plugin("a", 1)), Map.of("a.yaml", invalid("a", 2))),
            Map.of("WasmPlugin shop/a", 1),
            Set.of("a.yaml: WasmPlugin shop/a")),
        new Case(
            "unreadable YAML keeps everything the file held",
            List.of(
                Map.of("chain.yaml", docs(plugin("a", 1), plugin("b", 1), secret("pull", 1))),
                Map.of("chain.yaml", docs(plugin("a", 2), BROKEN))),
            Map.of("WasmPlugin shop/a", 1, "WasmPlugin shop/b", 1, "Secret shop/pull", 1),
            Set.of(
                "chain.yaml: WasmPlugin shop/a",
                "chain.yaml: WasmPlugin shop/b",
                "chain.yaml: Secret shop/pull")),
        new Case(
            "deleting a file removes its plugins",
            List.of(
                Map.of("a.yaml", plugin("a", 1), "b.yaml", plugin("b", 1)),
                Map.of("b.yaml", plugin("b", 1))),
            Map.of("WasmPlugin shop/b", 1),
            Set.of()),
        new Case(
            "deleting an invalid file removes the version it kept",
            List.of(Map.of("a.yaml", plugin("a", 1)), Map.of("a.yaml", BROKEN), Map.of()),
            Map.of(),
            Set.of()),
        new Case(
            "a plugin moved to another file serves from there",
            List.of(Map.of("a.yaml", plugin("p", 1)), Map.of("b.yaml", plugin("p", 2))),
            Map.of("WasmPlugin shop/p", 2),
            Set.of()),
        new Case(
            "a plugin moved out of a file that became unreadable serves from its new file",
            List.of(
                Map.of("a.yaml", docs(plugin("p", 1), plugin("q", 1))),
                Map.of("a.yaml", BROKEN, "b.yaml", plugin("p", 2))),
            Map.of("WasmPlugin shop/p", 2, "WasmPlugin shop/q", 1),
            Set.of("a.yaml: WasmPlugin shop/q")),
        new Case(
            "a second valid plugin in the same file still updates",
            List.of(
                Map.of("chain.yaml", docs(plugin("a", 1), plugin("b", 1))),
                Map.of("chain.yaml", docs(invalid("a", 2), plugin("b", 2)))),
            Map.of("WasmPlugin shop/a", 1, "WasmPlugin shop/b", 2),
            Set.of("chain.yaml: WasmPlugin shop/a")),
        new Case(
            "a plugin removed from a file whose other documents are valid is removed",
            List.of(
                Map.of("chain.yaml", docs(plugin("a", 1), plugin("b", 1))),
                Map.of("chain.yaml", plugin("a", 1))),
            Map.of("WasmPlugin shop/a", 1),
            Set.of()),
        new Case(
            "a plugin removed from a file beside an invalid one of another name is removed",
            List.of(
                Map.of("chain.yaml", docs(plugin("a", 1), plugin("b", 1))),
                Map.of("chain.yaml", docs(plugin("a", 1), invalid("c", 1)))),
            Map.of("WasmPlugin shop/a", 1),
            Set.of()),
        new Case(
            "a new invalid plugin with no previous version is not present",
            List.of(
                Map.of("a.yaml", plugin("a", 1)),
                Map.of("a.yaml", docs(plugin("a", 1), invalid("n", 1)), "n.yaml", BROKEN)),
            Map.of("WasmPlugin shop/a", 1),
            Set.of()),
        new Case(
            "the last valid version keeps serving while other files change",
            List.of(
                Map.of("a.yaml", plugin("a", 1)),
                Map.of("a.yaml", invalid("a", 2)),
                Map.of("a.yaml", invalid("a", 3), "b.yaml", plugin("b", 1))),
            Map.of("WasmPlugin shop/a", 1, "WasmPlugin shop/b", 1),
            Set.of("a.yaml: WasmPlugin shop/a")),
        new Case(
            "fixing the file serves the fixed version",
            List.of(
                Map.of("a.yaml", plugin("a", 1)),
                Map.of("a.yaml", invalid("a", 2)),
                Map.of("a.yaml", plugin("a", 3))),
            Map.of("WasmPlugin shop/a", 3),
            Set.of()),
        new Case(
            "a document without a name keeps the plugins of its file that are gone",
            List.of(
                Map.of("chain.yaml", docs(plugin("a", 1), plugin("b", 1))),
                Map.of(
                    "chain.yaml", docs(plugin("a", 2), plugin("b", 2).replace("name: b, ", "")))),
            Map.of("WasmPlugin shop/a", 2, "WasmPlugin shop/b", 1),
            Set.of("chain.yaml: WasmPlugin shop/b")),
        new Case(
            "a misspelt kind keeps the plugin of that name",
            List.of(
                Map.of("a.yaml", plugin("a", 1)),
                Map.of("a.yaml", plugin("a", 2).replace("kind: WasmPlugin", "kind: WasmPlugn"))),
            Map.of("WasmPlugin shop/a", 1),
            Set.of("a.yaml: WasmPlugn shop/a")),
        new Case(
            "a Secret removed from a valid file is removed, one in an unreadable file kept",
            List.of(
                Map.of("s.yaml", docs(secret("s", 1), secret("t", 1)), "u.yaml", secret("u", 1)),
                Map.of("s.yaml", secret("s", 2), "u.yaml", BROKEN)),
            Map.of("Secret shop/s", 2, "Secret shop/u", 1),
            Set.of("u.yaml: Secret shop/u")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void servesTheLastValidVersionOfWhatAnInvalidFileHeld(Case scenario) {
    DirectoryReading accepted = DirectoryReading.EMPTY;
    for (Map<String, String> files : scenario.readings()) {
      accepted = LastValidVersions.merge(accepted, DirectoryReader.parse(files));
    }
    ConfigSnapshot snapshot = accepted.snapshot();

    assertThat(serving(snapshot)).isEqualTo(scenario.serving());
    assertThat(
            snapshot.problems().stream()
                .filter(p -> p.message().endsWith(LastValidVersions.KEEPS_SERVING))
                .map(p -> p.source() + ": " + p.resource())
                .collect(Collectors.toSet()))
        .isEqualTo(scenario.keptReported());
    Map<String, String> last = scenario.readings().get(scenario.readings().size() - 1);
    assertThat(described(snapshot.problems()))
        .as("every problem of the last reading stays reported")
        .isEqualTo(described(DirectoryReader.parse(last).snapshot().problems()));
  }

  private static Set<String> described(List<ConfigProblem> problems) {
    return problems.stream()
        .map(p -> p.source() + ": " + p.message().replace(LastValidVersions.KEEPS_SERVING, ""))
        .collect(Collectors.toSet());
  }

  private static Map<String, Integer> serving(ConfigSnapshot snapshot) {
    Map<String, Integer> serving = new TreeMap<>();
    for (PluginSpec plugin : snapshot.plugins()) {
      String config = plugin.configuration();
      serving.put(
          "WasmPlugin " + plugin.ref(),
          Integer.parseInt(config.substring(config.indexOf(':') + 1, config.indexOf('}'))));
    }
    snapshot
        .secrets()
        .forEach(
            (key, secret) ->
                serving.put(
                    "Secret " + key, secret.path("metadata").path("labels").path("v").asInt()));
    return serving;
  }

  @Test
  void aKeptPluginKeepsItsWholeSpecAndGeneration() {
    DirectoryReading first =
        LastValidVersions.merge(
            DirectoryReading.EMPTY, DirectoryReader.parse(Map.of("a.yaml", plugin("a", 1))));

    DirectoryReading second =
        LastValidVersions.merge(first, DirectoryReader.parse(Map.of("a.yaml", invalid("a", 2))));

    assertThat(second.snapshot().plugins()).containsExactlyElementsOf(first.snapshot().plugins());
    assertThat(second.snapshot().plugins().get(0).generation())
        .isEqualTo(first.snapshot().plugins().get(0).generation());
  }

  @Test
  void aDirectoryThatCannotBeListedKeepsServingWhatWasAccepted() {
    DirectoryReading first =
        LastValidVersions.merge(
            DirectoryReading.EMPTY, DirectoryReader.parse(Map.of("a.yaml", plugin("a", 1))));
    ConfigProblem listing = new ConfigProblem("/config", "", "", "cannot list: gone");

    DirectoryReading second =
        LastValidVersions.merge(first, new DirectoryReading(List.of(), List.of(listing)));

    assertThat(second.snapshot().plugins()).isEqualTo(first.snapshot().plugins());
    assertThat(second.snapshot().problems()).containsExactly(listing);
  }

  @Test
  void problemsOfAKeptPluginSayThatTheLastValidVersionKeepsServing() {
    DirectoryReading first =
        LastValidVersions.merge(
            DirectoryReading.EMPTY,
            DirectoryReader.parse(Map.of("chain.yaml", docs(plugin("a", 1), plugin("b", 1)))));

    DirectoryReading second =
        LastValidVersions.merge(first, DirectoryReader.parse(Map.of("chain.yaml", BROKEN)));

    assertThat(second.snapshot().problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "chain.yaml: WasmPlugin shop/a: not valid YAML at line 2, column 4: "
                + "mapping values are not allowed here; the last valid version keeps serving",
            "chain.yaml: WasmPlugin shop/b: not valid YAML at line 2, column 4: "
                + "mapping values are not allowed here; the last valid version keeps serving");
  }
}
