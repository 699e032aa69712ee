package io.wasmplane.e2e;

import io.wasmplane.testbed.Toolchain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Prints a benchmark's figures and writes them to {@code bench/results/<name>}. */
final class BenchResults {
  private BenchResults() {}

  static void publish(String name, String report) throws IOException {
    System.out.print(report);
    Path out = Toolchain.repoRoot().resolve("bench/results").resolve(name);
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
  }
}
