package io.wasmplane.crd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One conformance file: a WasmPlugin or TrafficExtension and whether Wasmplane must admit it.
 *
 * @param name directory and file name, e.g. {@code invalid/05-sha256-not-hex.yaml}
 * @param yaml the file's text, headers included
 * @param admit whether the resource must be admitted
 * @param expected for rejected cases from the CRD layer, part of the expected message; else null
 */
record ConformanceCase(String name, String yaml, boolean admit, String expected) {
  @Override
  public String toString() {
    return name;
  }

  /** Every WasmPlugin case under {@code conformance/{valid,invalid,quirks}} on the classpath. */
  static Stream<ConformanceCase> all() {
    return Stream.of("valid", "invalid", "quirks").flatMap(dir -> load("", dir));
  }

  /** Every TrafficExtension case under {@code conformance/trafficextension/{valid,invalid}}. */
  static Stream<ConformanceCase> trafficExtensions() {
    return Stream.of("valid", "invalid").flatMap(dir -> load("trafficextension/", dir));
  }

  private static Stream<ConformanceCase> load(String prefix, String dir) {
    try {
      Path root =
          Path.of(ConformanceCase.class.getResource("/conformance/" + prefix + dir).toURI());
      try (Stream<Path> files = Files.list(root)) {
        List<Path> sorted = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        return sorted.stream().map(f -> read(prefix, dir, f));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ConformanceCase read(String prefix, String dir, Path file) {
    try {
      String yaml = Files.readString(file);
      String first = yaml.lines().findFirst().orElse("");
      String name = prefix + dir + "/" + file.getFileName();
      return switch (dir) {
        case "valid" -> new ConformanceCase(name, yaml, true, null);
        case "invalid" -> {
          String expected =
              first.startsWith("# expect: ") ? first.substring("# expect: ".length()) : null;
          yield new ConformanceCase(name, yaml, false, expected);
        }
        default -> {
          if (!first.startsWith("# wasmplane: ")) {
            throw new IllegalStateException(name + " has no '# wasmplane:' decision line");
          }
          boolean admit = first.startsWith("# wasmplane: accept");
          yield new ConformanceCase(name, yaml, admit, null);
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
