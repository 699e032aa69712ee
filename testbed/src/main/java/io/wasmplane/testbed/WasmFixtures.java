package io.wasmplane.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy-wasm test modules, compiled from their WAT sources with {@code wat2wasm} on first use.
 *
 * <ul>
 *   <li>{@link #HEADER_CHAIN}: appends its plugin configuration to request header {@code
 *       x-wasmplane-chain};
 *   <li>{@link #ENV_HEADER}: writes its VM environment to request header {@code x-wasmplane-env};
 *   <li>{@link #TRAP}: traps on every request;
 *   <li>{@link #TCP_PREFIX}: a network filter that prefixes downstream data with its configuration.
 * </ul>
 */
public final class WasmFixtures {
  public static final String HEADER_CHAIN = "header-chain";
  public static final String ENV_HEADER = "env-header";
  public static final String TRAP = "trap";
  public static final String TCP_PREFIX = "tcp-prefix";

  private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();
  private static Path outputDir;

  private WasmFixtures() {}

  /** The compiled module's file. */
  public static Path path(String name) {
    return BUILT.computeIfAbsent(name, WasmFixtures::compile);
  }

  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hex SHA-256 of the compiled module. */
  public static String sha256(String name) {
    return Digests.sha256Hex(bytes(name));
  }

  /** Compiles every fixture into {@code dir}, for scripts outside the JVM. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : ".");
    Files.createDirectories(dir);
    for (String name : List.of(HEADER_CHAIN, ENV_HEADER, TRAP, TCP_PREFIX)) {
      Files.copy(
          path(name),
          dir.resolve(name + ".wasm"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static synchronized Path compile(String name) {
    try {
      if (outputDir == null) {
        outputDir = Files.createTempDirectory("wasmplane-wasm-");
      }
      Path source = outputDir.resolve(name + ".wat");
      try (InputStream in = WasmFixtures.class.getResourceAsStream("/wasm/" + name + ".wat")) {
        if (in == null) {
          throw new IllegalArgumentException("no wasm fixture named " + name);
        }
        Files.copy(in, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Path module = outputDir.resolve(name + ".wasm");
      Commands.run(
              List.of(Toolchain.wat2wasm().toString(), source.toString(), "-o", module.toString()),
              null,
              60)
          .orThrow();
      return module;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
