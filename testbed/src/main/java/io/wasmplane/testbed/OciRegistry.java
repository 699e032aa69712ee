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
import java.util.List;
import java.util.Map;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A real OCI registry (Docker distribution) on a loopback port, optionally behind htpasswd.
 *
 * <p>Its access log is kept, so tests can count how often a blob or manifest was pulled.
 */
public final class OciRegistry implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final String user;
  private final String password;
  private ComponentProcess process;

  private OciRegistry(Path dir, int port, String user, String password) {
    this.dir = dir;
    this.port = port;
    this.user = user;
    this.password = password;
  }

  /** Starts an open registry with no authentication. */
  public static OciRegistry startPlain() {
    return start(null, null);
  }

  /** Starts a registry that requires HTTP basic auth for {@code user}. */
  public static OciRegistry startWithHtpasswd(String user, String password) {
    return start(user, password);
  }

  private static OciRegistry start(String user, String password) {
    try {
      Path dir = Files.createTempDirectory("wasmplane-registry-");
      OciRegistry registry = new OciRegistry(dir, LoopbackPorts.free(), user, password);
      registry.writeConfig();
      registry.startProcess();
      return registry;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code 127.0.0.1:port}, the registry part of an image reference. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** A client for pushing and reading images, with this registry's credentials if any. */
  public OciClient client() {
    return new OciClient("http://" + host(), user, password);
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /**
   * How many successful GETs of {@code path} (e.g. {@code /v2/repo/blobs/sha256:...}) it served.
   */
  public long getCount(String pathPrefix) throws IOException {
    return Files.readAllLines(process.log()).stream()
        .filter(line -> line.contains("\"GET " + pathPrefix))
        .filter(line -> line.matches(".*\" 20[06] .*"))
        .count();
  }

  /** Stops the registry process, keeping its storage, to simulate an outage. */
  public void stop() {
    if (process != null) {
      process.close();
      process = null;
    }
  }

  /** Starts the registry again on the same port and storage. */
  public void restart() {
    stop();
    startProcess();
  }

  public String logTail(int lines) {
    return process == null ? "(stopped)" : process.logTail(lines);
  }

  private void writeConfig() throws IOException {
    StringBuilder config =
        new StringBuilder(
            """
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: %s
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:%d
              secret: wasmplane-testbed
            """
                .formatted(dir.resolve("storage"), port));
    if (user != null) {
      Files.writeString(
          dir.resolve("htpasswd"), user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(10)) + "\n");
      config.append(
          """
          auth:
            htpasswd:
              realm: wasmplane-testbed
              path: %s
          """
              .formatted(dir.resolve("htpasswd")));
    }
    Files.writeString(dir.resolve("config.yml"), config.toString());
  }

  private void startProcess() {
    process =
        ComponentProcess.start(
            "registry",
            List.of(Toolchain.registry().toString(), "serve", dir.resolve("config.yml").toString()),
            Map.of("OTEL_TRACES_EXPORTER", "none"),
            dir.resolve("registry.log"));
    HttpClient http = HttpClient.newHttpClient();
    await("registry /v2/")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(e -> e instanceof IOException)
        .until(
            () -> {
              process.checkAlive();
              int status =
                  http.send(
                          HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode();
              return status == 200 || status == 401;
            });
  }

  @Override
  public void close() {
    stop();
    TempDirs.delete(dir);
  }
}
