package io.wasmplane.operator.module;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test HTTP server on a chosen loopback address that records each request it gets. */
final class RecordingServer implements AutoCloseable {
  /** One request: its path and the Authorization header it carried, or null. */
  record Request(String path, String authorization) {}

  /** Answers one request. */
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final HttpServer server;
  private final String host;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private RecordingServer(HttpServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /** Starts a server on {@code host} (an IPv4 loopback literal) answering with {@code handler}. */
  static RecordingServer start(String host, Handler handler) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 8);
      RecordingServer recording = new RecordingServer(server, host);
      server.createContext(
          "/",
          exchange -> {
            recording.requests.add(
                new Request(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            try {
              handler.handle(exchange);
            } finally {
              exchange.close();
            }
          });
      server.start();
      return recording;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers every request with a redirect to {@code location}. */
  static Handler redirectTo(String location) {
    return exchange -> {
      exchange.getResponseHeaders().add("Location", location);
      exchange.sendResponseHeaders(302, -1);
    };
  }

  /** Answers every request with 200 and {@code body}. */
  static Handler ok(String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  String origin() {
    return "http://" + host + ":" + server.getAddress().getPort();
  }

  URI uri(String path) {
    return URI.create(origin() + path);
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
