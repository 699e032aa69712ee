package io.wasmplane.testbed;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * An HTTP upstream on loopback that answers every request with the request's headers, one {@code
 * name: value} line each, in the order received. Repeated headers keep their order.
 */
public final class EchoUpstream implements AutoCloseable {
  private final HttpServer server;

  private EchoUpstream(HttpServer server) {
    this.server = server;
  }

  public static EchoUpstream start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      server.createContext(
          "/",
          exchange -> {
            StringBuilder body = new StringBuilder();
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            headers.putAll(exchange.getRequestHeaders());
            headers.forEach(
                (name, values) ->
                    values.forEach(
                        v -> body.append(name.toLowerCase()).append(": ").append(v).append('\n')));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
          });
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      return new EchoUpstream(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
