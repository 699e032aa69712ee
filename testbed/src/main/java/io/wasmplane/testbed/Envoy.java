package io.wasmplane.testbed;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Envoy started from a bootstrap template.
 *
 * <p>The template may use {@code {{admin_port}}} and {@code {{port:NAME}}}; each distinct name is
 * replaced by a free loopback port, readable afterwards through {@link #port(String)}.
 */
public final class Envoy implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("\\{\\{port:([A-Za-z0-9_-]+)}}");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ComponentProcess process;
  private final int adminPort;
  private final Map<String, Integer> ports;
  private final Path bootstrap;

  private Envoy(ComponentProcess process, int adminPort, Map<String, Integer> ports, Path file) {
    this.process = process;
    this.adminPort = adminPort;
    this.ports = ports;
    this.bootstrap = file;
  }

  /** Starts Envoy and waits until its admin API answers. */
  public static Envoy start(String template, Path workDir) {
    return start(template, workDir, Map.of());
  }

  /** Starts Envoy with extra environment variables (visible to Wasm as HOST env). */
  public static Envoy start(String template, Path workDir, Map<String, String> env) {
    return start(template, workDir, env, List.of());
  }

  /** Starts Envoy with extra environment variables and extra command-line arguments. */
  public static Envoy start(
      String template, Path workDir, Map<String, String> env, List<String> extraArgs) {
    try {
      Files.createDirectories(workDir);
      int adminPort = LoopbackPorts.free();
      Map<String, Integer> ports = new LinkedHashMap<>();
      Matcher m = PORT.matcher(template);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        int port = ports.computeIfAbsent(m.group(1), k -> LoopbackPorts.free());
        m.appendReplacement(out, Integer.toString(port));
      }
      m.appendTail(out);
      String yaml = out.toString().replace("{{admin_port}}", Integer.toString(adminPort));
      Path file = Files.createTempFile(workDir, "envoy-", ".yaml");
      Files.writeString(file, yaml);
      Path log = Path.of(file.toString().replace(".yaml", ".log"));
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  Toolchain.envoy().toString(),
                  "-c",
                  file.toString(),
                  "--use-dynamic-base-id",
                  "--log-level",
                  "info",
                  "--component-log-level",
                  "main:warn",
                  "--drain-time-s",
                  "1"));
      command.addAll(extraArgs);
      ComponentProcess process = ComponentProcess.start("envoy", command, env, log);
      Envoy envoy = new Envoy(process, adminPort, ports, file);
      try {
        await("envoy admin on port " + adminPort)
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .ignoreExceptionsMatching(e -> e instanceof IOException)
            .until(
                () -> {
                  process.checkAlive();
                  return envoy.admin("/server_info").statusCode() == 200;
                });
      } catch (RuntimeException e) {
        envoy.close();
        throw e;
      }
      return envoy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int adminPort() {
    return adminPort;
  }

  /** The port that replaced {@code {{port:name}}} in the template. */
  public int port(String name) {
    Integer port = ports.get(name);
    if (port == null) {
      throw new IllegalArgumentException("bootstrap has no {{port:" + name + "}}");
    }
    return port;
  }

  public Path bootstrap() {
    return bootstrap;
  }

  public ComponentProcess process() {
    return process;
  }

  /** GETs an admin API path such as {@code /config_dump}. */
  public HttpResponse<String> admin(String path) throws IOException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The value of one admin stat, or -1 when Envoy does not have it (yet). */
  public long stat(String name) throws IOException {
    String filter = "^" + name.replace(".", "\\.") + "$";
    String body =
        admin(
                "/stats?filter="
                    + java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8))
            .body();
    for (String line : body.split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0 && line.substring(0, colon).equals(name)) {
        return Long.parseLong(line.substring(colon + 2).trim());
      }
    }
    return -1;
  }

  /** Waits until the server reports LIVE, i.e. its initial xDS fetch has finished. */
  public void awaitLive(Duration timeout) {
    await("envoy LIVE")
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(e -> e instanceof IOException)
        .until(
            () -> {
              process.checkAlive();
              return admin("/ready").body().trim().equals("LIVE");
            });
  }

  public String logTail(int lines) {
    return process.logTail(lines);
  }

  @Override
  public void close() {
    process.close();
  }
}
