package io.wasmplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.CliOptions;
import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.SidecarBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/** A real Wasmplane control plane in directory mode on ephemeral loopback ports. */
final class DirectoryControlPlane implements AutoCloseable {
  private final Path dir;
  private final WasmplaneOperator operator;

  private DirectoryControlPlane(Path dir, WasmplaneOperator operator) {
    this.dir = dir;
    this.operator = operator;
  }

  static DirectoryControlPlane start(String... extraFlags) throws IOException {
    return start(Files.createTempDirectory("wasmplane-modules-"), extraFlags);
  }

  /** A control plane whose module cache is {@code cacheDir}, so a restart can reuse it. */
  static DirectoryControlPlane start(Path cacheDir, String... extraFlags) throws IOException {
    return start(Files.createTempDirectory("wasmplane-config-"), 0, 0, cacheDir, extraFlags);
  }

  private static DirectoryControlPlane start(
      Path dir, int xdsPort, int httpPort, Path cacheDir, String... extraFlags) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--config-dir", dir.toString(),
            "--xds-port", Integer.toString(xdsPort),
            "--http-port", Integer.toString(httpPort),
            "--bind-address", "127.0.0.1",
            "--module-cache-dir", cacheDir.toString()));
    args.addAll(List.of(extraFlags));
    return new DirectoryControlPlane(dir, WasmplaneOperator.start(CliOptions.parse(args)));
  }

  /**
   * Stops this control plane and starts a new one on the same ports and configuration directory
   * with the module cache {@code cacheDir}, as a replacement Pod would come up.
   */
  DirectoryControlPlane replace(Path cacheDir) throws Exception {
    int xds = xdsPort();
    int http = httpPort();
    close();
    return start(dir, xds, http, cacheDir);
  }

  /**
   * A sidecar of this control plane for pod {@code pod} in {@code namespace}, with an inbound HTTP
   * listener "http" in front of {@code upstream} (its cluster "app").
   */
  SidecarBootstrap sidecar(String pod, String namespace, EchoUpstream upstream) {
    return SidecarBootstrap.proxy(pod, namespace)
        .controlPlane(xdsPort(), httpPort())
        .cluster("app", upstream.port())
        .inbound("http", "HTTP", 8080, "app");
  }

  /**
   * {@link Chains#await} on {@code envoy}'s listener "http", printing this control plane's debug
   * pages if the chain never comes.
   */
  void awaitChain(Envoy envoy, Duration atMost, String... marks) throws Exception {
    try {
      Chains.await(envoy, "http", atMost, marks);
    } catch (Throwable t) {
      System.err.println("/debug/proxies: " + get("/debug/proxies"));
      System.err.println("/debug/plugins: " + get("/debug/plugins"));
      throw t;
    }
  }

  /** Waits until this control plane's /debug/plugins page contains every one of {@code texts}. */
  void awaitPlugins(Duration atMost, String... texts) {
    Awaitility.await("/debug/plugins")
        .atMost(atMost)
        .untilAsserted(() -> assertThat(get("/debug/plugins")).contains(texts));
  }

  Path configDir() {
    return dir;
  }

  int xdsPort() {
    return operator.xdsPort();
  }

  int httpPort() {
    return operator.httpPort();
  }

  WasmplaneOperator operator() {
    return operator;
  }

  /** Writes {@code yaml} to {@code file} in one step, as an editor's save would. */
  void write(String file, String yaml) throws IOException {
    Path temp = dir.resolve("." + file + ".tmp");
    Files.writeString(temp, yaml);
    Files.move(temp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
  }

  void delete(String file) throws IOException {
    Files.delete(dir.resolve(file));
  }

  String get(String path) throws Exception {
    return OperatorHttp.get(httpPort(), path);
  }

  @Override
  public void close() throws Exception {
    operator.close();
  }
}
