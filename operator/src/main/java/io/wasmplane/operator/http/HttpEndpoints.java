package io.wasmplane.operator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wasmplane.operator.plan.ControlPlane;
import io.wasmplane.xds.ModuleHandler;
import io.wasmplane.xds.XdsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's HTTP port: health and readiness probes, Prometheus metrics, and the debug views
 * {@code /debug/proxies} and {@code /debug/plugins}, and module bytes for Envoy under {@code
 * /modules/sha256/}.
 */
public final class HttpEndpoints implements AutoCloseable {
  /** How long {@code /readyz} waits for modules still being fetched at start. */
  private static final java.time.Duration READY_WAIT = java.time.Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

  private final HttpServer server;

  /**
   * {@code sourceMetrics} renders the config source's own metrics, appended to the rest; {@code
   * modules} is null when module bytes travel inline, and then there is no module endpoint.
   */
  public HttpEndpoints(
      String host,
      int port,
      ControlPlane controlPlane,
      XdsServer xds,
      ModuleHandler modules,
      Supplier<String> sourceMetrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for HTTP on port " + port, e);
    }
    // Module downloads mostly wait on the network; enough threads that a download starts (and is
    // seen to start) when the proxy asks, not after a queue.
    server.setExecutor(Executors.newFixedThreadPool(32));
    server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", () -> "ok\n"));
    Readiness readiness = new Readiness(java.time.Clock.systemUTC(), READY_WAIT);
    server.createContext(
        "/readyz",
        ex -> {
          String notReady =
              readiness.check(
                  controlPlane.loaded(), controlPlane.applied().state().modules().values());
          reply(
              ex,
              notReady == null ? 200 : 503,
              "text/plain",
              () -> (notReady == null ? "ready" : notReady) + "\n");
        });
    server.createContext(
        "/metrics",
        ex ->
            reply(
                ex,
                200,
                "text/plain; version=0.0.4",
                () ->
                    Metrics.render(controlPlane, xds, modules == null ? 0 : modules.served())
                        + sourceMetrics.get()));
    server.createContext("/debug/proxies", ex -> debug(ex, () -> DebugJson.proxies(xds)));
    if (modules != null) {
      server.createContext(ModuleHandler.PATH, modules);
    }
    server.createContext("/debug/plugins", ex -> debug(ex, () -> DebugJson.plugins(controlPlane)));
  }

  public HttpEndpoints start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The debug views name every proxy, plugin url and digest: they answer loopback callers only,
   * which {@code kubectl port-forward} is.
   */
  private static void debug(HttpExchange exchange, Callable<String> body) throws IOException {
    java.net.InetAddress caller = exchange.getRemoteAddress().getAddress();
    if (!DebugAccess.allows(caller)) {
      LOG.warn("refused {} to {}: not a loopback caller", exchange.getRequestURI(), caller);
      reply(
          exchange,
          403,
          "text/plain",
          () -> "the debug views answer loopback callers only; use kubectl port-forward\n");
      return;
    }
    reply(exchange, 200, "application/json", body);
  }

  private static void reply(HttpExchange exchange, int status, String type, Callable<String> body)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes;
      int code = status;
      try {
        bytes = body.call().getBytes(StandardCharsets.UTF_8);
      } catch (Exception e) {
        LOG.warn("{} failed: {}", exchange.getRequestURI(), e.toString());
        bytes = ("error: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8);
        code = 500;
      }
      exchange.getResponseHeaders().add("Content-Type", type);
      exchange.sendResponseHeaders(code, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
