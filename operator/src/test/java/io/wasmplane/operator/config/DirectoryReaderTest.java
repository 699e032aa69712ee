package io.wasmplane.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.plugin.PluginSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryReaderTest {
  @TempDir Path dir;

  private static String plugin(String name, String extra) {
    return "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: "
        + name
        + "}\nspec:\n  url: file:///p.wasm\n"
        + extra;
  }

  @Test
  void readsMultiDocumentFilesAndSkipsHiddenAndTempFiles() throws Exception {
    Files.writeString(
        dir.resolve("a.yaml"), "---\n" + plugin("a", "") + "---\n# empty\n---\n" + plugin("b", ""));
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/c.yml"), plugin("c", ""));
    Files.writeString(dir.resolve(".hidden.yaml"), plugin("hidden", ""));
    Files.writeString(dir.resolve("d.yaml~"), plugin("backup", ""));
    Files.writeString(dir.resolve("notes.txt"), "not yaml");
    Files.writeString(
        dir.resolve("secret.yaml"),
        "apiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: shop}\ntype: kubernetes.io/dockerconfigjson\n");

    DirectoryReading reading = DirectoryReader.read(dir);
    ConfigSnapshot snapshot = reading.snapshot();

    assertThat(snapshot.plugins())
        .extracting(p -> p.ref().toString())
        .containsExactly("default/a", "default/b", "default/c");
    assertThat(snapshot.secrets()).containsOnlyKeys("shop/pull");
    assertThat(snapshot.problems()).isEmpty();
    assertThat(reading.files())
        .extracting(FileReading::source)
        .containsExactly("a.yaml", "secret.yaml", "sub/c.yml");
    assertThat(reading.files().get(1).secrets()).containsOnlyKeys("shop/pull");
  }

  @Test
  void reportsBadInputWithFileResourceAndFieldAndKeepsTheRest() throws Exception {
    Files.writeString(dir.resolve("a-good.yaml"), plugin("good", ""));
    Files.writeString(dir.resolve("broken.yaml"), "kind: WasmPlugin\n  x: [\n");
    Files.writeString(
        dir.resolve("bad.yaml"), plugin("bad", "  phase: EARLY\n  priority: \"high\"\n"));
    Files.writeString(dir.resolve("z-dup.yaml"), plugin("good", ""));
    Files.writeString(
        dir.resolve("other.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    Files.writeString(dir.resolve("nameless.yaml"), plugin("", "").replace("name: }", "}"));
    Files.writeString(dir.resolve("scalar.yaml"), "just some text\n");
    Files.writeString(
        dir.resolve("secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {namespace: shop}\n");

    DirectoryReading reading = DirectoryReader.read(dir);
    ConfigSnapshot snapshot = reading.snapshot();

    assertThat(snapshot.plugins()).extracting(PluginSpec::name).containsExactly("good");
    assertThat(snapshot.secrets()).isEmpty();
    assertThat(snapshot.problems())
        .extracting(ConfigProblem::toString)
        .anyMatch(p -> p.startsWith("broken.yaml: not valid YAML at line 2") && !p.contains("\n"))
        .anyMatch(
            p -> p.startsWith("bad.yaml: WasmPlugin default/bad: spec.phase: Unsupported value"))
        .anyMatch(p -> p.startsWith("bad.yaml: WasmPlugin default/bad: spec.priority:"))
        .anyMatch(
            p ->
                p.equals(
                    "z-dup.yaml: WasmPlugin default/good: metadata.name: duplicate of the one in a-good.yaml"))
        .anyMatch(p -> p.startsWith("other.yaml: ConfigMap default/x: kind:"))
        .anyMatch(p -> p.startsWith("nameless.yaml: WasmPlugin default/?: metadata.name:"))
        .anyMatch(p -> p.equals("scalar.yaml: document is not a YAML map"))
        .anyMatch(p -> p.startsWith("secret.yaml: Secret shop/?: metadata.name:"));
    assertThat(reading.files())
        .flatExtracting(FileReading::rejected)
        .extracting(r -> r.kind() + " " + r.key())
        .containsExactlyInAnyOrder(
            "WasmPlugin default/bad",
            " ",
            "ConfigMap default/x",
            "WasmPlugin default/good",
            "WasmPlugin ",
            " ",
            "Secret ");
  }
}
