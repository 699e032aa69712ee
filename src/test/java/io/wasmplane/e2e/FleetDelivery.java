package io.wasmplane.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * How the benchmark asks {@code bin/wasmplane} for remote module delivery: read from its {@code
 * --help}, passing {@code --module-delivery remote} only where remote is not already the default.
 */
final class FleetDelivery {
  private static final Pattern REMOTE_DEFAULT =
      Pattern.compile("(?s).*(remote\\s*\\(default|default[:\\s]+remote).*");

  private static String help;

  private FleetDelivery() {}

  /** The flags to add to the command line. */
  static List<String> flags() {
    return flags(help());
  }

  /** A line for the report: what was passed and whether the server knows the cache-miss flag. */
  static String note() {
    String text = help();
    String flags = flags(text).isEmpty() ? "default delivery" : String.join(" ", flags(text));
    return flags
        + (text.contains("nack_on_code_cache_miss")
            ? ", help mentions nack_on_code_cache_miss"
            : "");
  }

  static List<String> flags(String help) {
    int at = help.indexOf("--module-delivery");
    if (at < 0) {
      return List.of();
    }
    int end = help.length();
    for (String next : List.of("\n  -", "\n\n")) {
      int found = help.indexOf(next, at + 1);
      end = found < 0 ? end : Math.min(end, found);
    }
    String entry = help.substring(at, end);
    if (REMOTE_DEFAULT.matcher(entry).matches()) {
      return List.of();
    }
    return List.of("--module-delivery", "remote");
  }

  private static synchronized String help() {
    if (help == null) {
      help = run();
    }
    return help;
  }

  private static String run() {
    try {
      Process process =
          new ProcessBuilder(FleetControlPlane.script().toString(), "--help")
              .redirectErrorStream(true)
              .start();
      byte[] out;
      try (InputStream in = process.getInputStream()) {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("bin/wasmplane --help did not finish within 60 s");
        }
        out = in.readAllBytes();
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError("bin/wasmplane --help failed: " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run bin/wasmplane --help", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running bin/wasmplane --help", e);
    }
  }
}
