package io.wasmplane.xds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves {@code GET /modules/sha256/<hex>}: module bytes for Envoy's remote data sources on the
 * {@code wasmplane-modules} cluster. Proxies get bytes, never registry credentials.
 */
public final class ModuleHandler implements HttpHandler {
  public static final String PATH = "/modules/sha256/";

  private final ModuleStore store;
  private final AtomicLong served = new AtomicLong();

  public ModuleHandler(ModuleStore store) {
    this.store = store;
  }

  /** How many module downloads have been served. */
  public long served() {
    return served.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String sha256 = path.startsWith(PATH) ? path.substring(PATH.length()) : "";
      if (!exchange.getRequestMethod().equals("GET") || !sha256.matches("[a-f0-9]{64}")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Optional<Path> file = store.module(sha256);
      if (file.isEmpty()) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file.get());
      exchange.getResponseHeaders().add("Content-Type", "application/wasm");
      exchange.sendResponseHeaders(200, size);
      try (OutputStream out = exchange.getResponseBody()) {
        Files.copy(file.get(), out);
      }
      served.incrementAndGet();
    }
  }
}
