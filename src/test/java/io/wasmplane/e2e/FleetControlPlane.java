package io.wasmplane.e2e;

import io.wasmplane.testbed.LoopbackPorts;
import io.wasmplane.testbed.Toolchain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The control plane under benchmark: {@code bin/wasmplane} in directory mode as a child process on
 * free loopback ports, its log in a file, with the heap the chart's 1 GiB memory limit gives it.
 */
final class FleetControlPlane implements AutoCloseable {
  /**
   * The Dockerfile's {@code -XX:MaxRAMPercentage=75} as the JVM applies it under the chart's {@code
   * limits.memory: 1Gi} (charts/wasmplane/values.yaml): a 768 MiB heap on a 1 GiB machine.
   */
  static final String JAVA_OPTS = "-XX:MaxRAM=1g -XX:MaxRAMPercentage=75";

  private static final Pattern READY_MODULE = Pattern.compile("\"module\"\\s*:\\s*\"Ready\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path log;
  private final int xdsPort;
  private final int httpPort;

  private FleetControlPlane(Process process, Path log, int xdsPort, int httpPort) {
    this.process = process;
    this.log = log;
    this.xdsPort = xdsPort;
    this.httpPort = httpPort;
  }

  /** Starts a fresh control plane on {@code configDir} and waits until it is ready. */
  static FleetControlPlane start(Path configDir, Path cacheDir, Path log) throws Exception {
    int xdsPort = LoopbackPorts.free();
    int httpPort = LoopbackPorts.free();
    List<String> command = new ArrayList<>();
    command.add(script().toString());
    command.addAll(
        List.of(
            "--config-dir", configDir.toString(),
            "--xds-port", Integer.toString(xdsPort),
            "--http-port", Integer.toString(httpPort),
            "--bind-address", "127.0.0.1",
            "--module-cache-dir", cacheDir.toString()));
    command.addAll(FleetDelivery.flags());
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().put("WASMPLANE_JAVA_OPTS", JAVA_OPTS);
    FleetControlPlane controlPlane = new FleetControlPlane(builder.start(), log, xdsPort, httpPort);
    try {
      controlPlane.awaitReady();
    } catch (Exception | AssertionError e) {
      controlPlane.close();
      throw e;
    }
    return controlPlane;
  }

  /** {@code bin/wasmplane} in the repository root. */
  static Path script() {
    return Toolchain.repoRoot().resolve("bin/wasmplane");
  }

  int xdsPort() {
    return xdsPort;
  }

  int httpPort() {
    return httpPort;
  }

  Path log() {
    return log;
  }

  /** Waits until /debug/plugins shows {@code count} plugins whose module is ready. */
  void awaitModulesReady(int count, Duration timeout) throws Exception {
    java.util.concurrent.atomic.AtomicReference<String> body =
        new java.util.concurrent.atomic.AtomicReference<>("");
    try {
      org.awaitility.Awaitility.await("modules ready")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                checkAlive();
                body.set(get("/debug/plugins"));
                return READY_MODULE.matcher(body.get()).results().count() >= count;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "after %s the control plane has not fetched the %d modules; /debug/plugins:%n%s%n%s"
              .formatted(timeout, count, body.get(), logTail(40)));
    }
  }

  /** Peak resident set size of the control plane's JVM (VmHWM), in KiB. */
  long peakRssKiB() throws IOException {
    long pid = javaPid();
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmHWM in /proc/" + pid + "/status");
  }

  /** Fails with the log's tail if the process has exited. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new AssertionError(
          "the control plane exited with code %d; %s".formatted(process.exitValue(), logTail(60)));
    }
  }

  /** The last {@code lines} lines of the log, with its path. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "last lines of %s:%n%s"
          .formatted(
              log, String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** The body of a GET on the HTTP port, "" if it fails. */
  String get(String path) throws InterruptedException {
    try {
      return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    }
  }

  private void awaitReady() throws Exception {
    try {
      org.awaitility.Awaitility.await("control plane ready")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                checkAlive();
                return HTTP.send(request("/readyz"), HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the control plane was not ready after 120 s; " + logTail(60));
    }
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  /** bin/wasmplane execs java, so the child is the JVM; a wrapper would have it as a descendant. */
  private long javaPid() {
    return Stream.concat(Stream.of(process.toHandle()), process.descendants())
        .filter(p -> p.isAlive() && comm(p.pid()).equals("java"))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no java process under " + process.pid()));
  }

  private static String comm(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
    }
  }
}
