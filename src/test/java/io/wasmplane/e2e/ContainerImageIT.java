package io.wasmplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.testbed.CommandResult;
import io.wasmplane.testbed.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The container image: its entrypoint runs the built jar, as a non-root user. */
class ContainerImageIT {
  @Test
  void theImageEntrypointRunsTheBuiltJar() throws Exception {
    String dockerfile = Files.readString(Toolchain.repoRoot().resolve("Dockerfile"));
    String entrypoint =
        dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    List<String> command =
        new java.util.ArrayList<>(
            java.util.Arrays.stream(entrypoint.replaceAll("^ENTRYPOINT \\[|\\]$", "").split(","))
                .map(part -> part.trim().replaceAll("^\"|\"$", ""))
                .toList());
    String target = Toolchain.repoRoot().resolve("operator/target").toString();
    command.replaceAll(
        arg ->
            arg.replace("/opt/wasmplane/lib/*", target + "/lib/*")
                .replace("/opt/wasmplane/*", target + "/wasmplane-operator-0.1.0-SNAPSHOT.jar"));
    command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--help");

    CommandResult result = io.wasmplane.testbed.Commands.run(command, null, 60);

    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.stdout())
        .contains("Usage: wasmplane [flags]", "--config-dir", "--kubeconfig");
    assertThat(dockerfile).contains("USER 65532");
  }
}
