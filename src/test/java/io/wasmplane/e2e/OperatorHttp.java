package io.wasmplane.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** GETs from an operator's HTTP port (metrics, debug views) in the end-to-end tests. */
final class OperatorHttp {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private OperatorHttp() {}

  static String get(int port, String path) throws Exception {
    return CLIENT
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
