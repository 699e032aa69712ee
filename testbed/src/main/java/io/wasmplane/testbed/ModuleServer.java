package io.wasmplane.testbed;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** Serves Wasm modules by path on 127.0.0.1 over HTTP or HTTPS and counts requests per path. */
public final class ModuleServer implements AutoCloseable {
  private static final InetAddress LOOPBACK = loopback();

  private final HttpServer server;
  private final String scheme;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  private ModuleServer(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
  }

  /**
   * Serves each module's bytes over plain HTTP at its path ({@code v1.wasm} or {@code /v1.wasm}).
   */
  public static ModuleServer http(Map<String, byte[]> modules) {
    return start(modules, null);
  }

  /** Serves each module's bytes over HTTPS with the certificate of {@code tls}. */
  public static ModuleServer https(Map<String, byte[]> modules, SSLContext tls) {
    if (tls == null) {
      throw new IllegalArgumentException("an HTTPS module server needs an SSLContext");
    }
    return start(modules, tls);
  }

  /**
   * Serves each {@link WasmFixtures} fixture, named by value, over plain HTTP at its key's path.
   */
  public static ModuleServer fixtures(Map<String, String> fixtures) {
    Map<String, byte[]> modules = new LinkedHashMap<>();
    fixtures.forEach((path, fixture) -> modules.put(path, WasmFixtures.bytes(fixture)));
    return http(modules);
  }

  private static ModuleServer start(Map<String, byte[]> modules, SSLContext tls) {
    try {
      InetSocketAddress address = new InetSocketAddress(LOOPBACK, 0);
      HttpServer server;
      if (tls == null) {
        server = HttpServer.create(address, 16);
      } else {
        HttpsServer https = HttpsServer.create(address, 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
      ModuleServer moduleServer = new ModuleServer(server, tls == null ? "http" : "https");
      modules.forEach(
          (path, bytes) -> {
            String context = normalise(path);
            AtomicInteger count = new AtomicInteger();
            moduleServer.requests.put(context, count);
            server.createContext(
                context,
                exchange -> {
                  count.incrementAndGet();
                  exchange.sendResponseHeaders(200, bytes.length);
                  exchange.getResponseBody().write(bytes);
                  exchange.close();
                });
          });
      server.start();
      return moduleServer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a module server", e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>/} or its {@code https} form, ending in a slash. */
  public String baseUrl() {
    return scheme + "://127.0.0.1:" + port() + "/";
  }

  /** The URL of the module served at {@code path}. */
  public String url(String path) {
    return baseUrl() + normalise(path).substring(1);
  }

  /** How many requests the module at {@code path} has received so far. */
  public int requests(String path) {
    AtomicInteger count = requests.get(normalise(path));
    if (count == null) {
      throw new IllegalArgumentException("no module is served at " + path);
    }
    return count.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static String normalise(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
