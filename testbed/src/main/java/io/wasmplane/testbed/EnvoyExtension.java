package io.wasmplane.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real Envoys for a test and stops them after it; on failure it prints each Envoy's log.
 *
 * <p>Register it as a field: {@code @RegisterExtension final EnvoyExtension envoys = new
 * EnvoyExtension();} and call {@link #start(String)} with a bootstrap template.
 */
public final class EnvoyExtension implements AfterEachCallback {
  private final List<Envoy> running = new ArrayList<>();
  private Path workDir;

  /** Starts an Envoy from a bootstrap template (see {@link Envoy}). */
  public synchronized Envoy start(String bootstrapTemplate) {
    return start(bootstrapTemplate, java.util.Map.of());
  }

  /** Starts an Envoy with extra environment variables. */
  public synchronized Envoy start(String bootstrapTemplate, java.util.Map<String, String> env) {
    return start(bootstrapTemplate, env, List.of());
  }

  /** Starts an Envoy with extra environment variables and command-line arguments. */
  public synchronized Envoy start(
      String bootstrapTemplate, java.util.Map<String, String> env, List<String> args) {
    try {
      if (workDir == null) {
        workDir = Files.createTempDirectory("wasmplane-envoy-");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Envoy envoy = Envoy.start(bootstrapTemplate, workDir, env, args);
    running.add(envoy);
    return envoy;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    boolean failed = context.getExecutionException().isPresent();
    for (Envoy envoy : running) {
      if (failed) {
        System.err.printf(
            "---- envoy log (%s), last 60 lines ----%n%s%n",
            envoy.process().log(), envoy.logTail(60));
      }
      envoy.close();
    }
    running.clear();
  }
}
