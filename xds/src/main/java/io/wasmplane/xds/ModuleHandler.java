package io.wasmplane.xds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Serves {@code GET /modules/sha256/<hex>}: module bytes for Envoy's remote data sources on the
 * {@code wasmplane-modules} cluster, streamed from the cache. Only modules that some connected
 * proxy's plan names are served. Proxies get bytes, never registry credentials. A finished download
 * is reported with the proxy the url names, so that what waited on it is sent again.
 */
public final class ModuleHandler implements HttpHandler {
  public static final String PATH = "/modules/sha256/";

  private final ModuleStore store;
  private final Predicate<String> planned;
  private final ModuleDownloads downloads;
  private final AtomicLong served = new AtomicLong();

  /**
   * @param store where module bytes are
   * @param planned whether a digest is in some proxy's plan
   * @param downloads hears of every completed download
   */
  public ModuleHandler(ModuleStore store, Predicate<String> planned, ModuleDownloads downloads) {
    this.store = store;
    this.planned = planned;
    this.downloads = downloads;
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
      if (!exchange.getRequestMethod().equals("GET")
          || !sha256.matches("[a-f0-9]{64}")
          || !planned.test(sha256)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Optional<Path> file = store.module(sha256);
      if (file.isEmpty()) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Optional<String> proxy = proxy(exchange.getRequestURI().getRawQuery());
      proxy.ifPresent(p -> downloads.started(p, sha256));
      try {
        long size = Files.size(file.get());
        exchange.getResponseHeaders().add("Content-Type", "application/wasm");
        exchange.sendResponseHeaders(200, size);
        try (OutputStream out = exchange.getResponseBody()) {
          Files.copy(file.get(), out);
        }
      } catch (IOException e) {
        proxy.ifPresent(p -> downloads.failed(p, sha256));
        throw e;
      }
      served.incrementAndGet();
      proxy.ifPresent(p -> downloads.downloaded(p, sha256));
    }
  }

  /** The node id in a {@code proxy=} query parameter, if there is one. */
  static Optional<String> proxy(String query) {
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith(RemoteFetch.PROXY_PARAM + "=")) {
        return Optional.of(
            URLDecoder.decode(
                pair.substring(RemoteFetch.PROXY_PARAM.length() + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }
}
