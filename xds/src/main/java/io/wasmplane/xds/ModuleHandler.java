package io.wasmplane.xds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /modules/sha256/<hex>}: module bytes for Envoy's remote data sources on the
 * {@code wasmplane-modules} cluster, streamed from the cache. The caller authenticates as the xDS
 * port demands, and gets only modules in the plan of the proxy the url names, which its credentials
 * must be for. Proxies get bytes, never registry credentials. A finished download is reported with
 * that proxy, so that what waited on it is sent again.
 */
public final class ModuleHandler implements HttpHandler {
  public static final String PATH = "/modules/sha256/";
  private static final Logger LOG = LoggerFactory.getLogger(ModuleHandler.class);

  private final ModuleStore store;
  private final ProxyAuthenticator authenticator;
  private final BiPredicate<String, String> planned;
  private final ModuleDownloads downloads;
  private final AtomicLong served = new AtomicLong();

  /**
   * @param store where module bytes are
   * @param authenticator what callers' credentials must prove, as on the xDS port
   * @param planned whether a digest is in the plan of a node (the node id, or null when the url
   *     names none)
   * @param downloads hears of every completed download
   */
  public ModuleHandler(
      ModuleStore store,
      ProxyAuthenticator authenticator,
      BiPredicate<String, String> planned,
      ModuleDownloads downloads) {
    this.store = store;
    this.authenticator = authenticator;
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
      if (!exchange.getRequestMethod().equals("GET") || !sha256.matches("[a-f0-9]{64}")) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Optional<String> proxy = proxy(exchange.getRequestURI().getRawQuery());
      String refusal = refusal(exchange, proxy);
      if (refusal != null) {
        return;
      }
      if (!planned.test(proxy.orElse(null), sha256)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Optional<Path> file = store.module(sha256);
      if (file.isEmpty()) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
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

  /**
   * Answers and says why when the caller may not fetch for {@code proxy}; null when it may. A
   * caller that authenticated as someone must name the proxy it fetches for.
   */
  private String refusal(HttpExchange exchange, Optional<String> proxy) throws IOException {
    CallerCredentials credentials =
        new CallerCredentials(
            exchange.getRequestHeaders().getFirst("Authorization"),
            List.of(),
            exchange.getRemoteAddress().getAddress());
    String why;
    int status;
    try {
      ProxyCaller caller = authenticator.authenticate(credentials);
      if (caller.anonymous()) {
        return null;
      }
      why = proxy.isEmpty() ? "the module url names no proxy" : caller.refusal(proxy.get());
      status = proxy.isEmpty() ? 400 : 403;
    } catch (ProxyAuthenticator.AuthFailure e) {
      why = e.getMessage();
      status = e.httpStatus();
    }
    if (why == null) {
      return null;
    }
    LOG.warn("refused module request from {}: {}", credentials.peer(), why);
    byte[] body = (why + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/plain");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    return why;
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
