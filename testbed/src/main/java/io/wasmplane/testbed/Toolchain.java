package io.wasmplane.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the real component binaries that {@code scripts/install-test-deps} installs. */
public final class Toolchain {
  private Toolchain() {}

  public static Path envoy() {
    return binary("ENVOY_BIN");
  }

  public static Path etcd() {
    return binary("ETCD_BIN");
  }

  public static Path kubeApiServer() {
    return binary("KUBE_APISERVER_BIN");
  }

  public static Path kubectl() {
    return binary("KUBECTL_BIN");
  }

  public static Path registry() {
    return binary("REGISTRY_BIN");
  }

  public static Path wat2wasm() {
    return binary("WAT2WASM_BIN");
  }

  /** The repository's root directory, for tests that read committed files such as examples. */
  public static Path repoRoot() {
    String root = System.getenv("WASMPLANE_REPO_ROOT");
    if (root != null && !root.isBlank()) {
      return Path.of(root);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("scripts/install-test-deps"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root from " + Path.of(""));
    }
    return dir;
  }

  private static Path binary(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          variable
              + " is not set. Run the tests with scripts/test, or first run:"
              + " eval \"$(scripts/install-test-deps)\"");
    }
    Path path = Path.of(value);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(variable + "=" + value + " is not an executable file");
    }
    return path;
  }
}
