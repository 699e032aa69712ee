package io.wasmplane.operator.module;

import java.net.URI;
import java.util.Map;

/**
 * Fetches {@code http://} and {@code https://} modules, unpacking a gzip, tar or tar.gz around the
 * module as {@link ModuleArchive} does.
 */
public final class HttpModuleFetcher {
  private final HttpTransport http;

  public HttpModuleFetcher(HttpTransport http) {
    this.http = http;
  }

  public FetchedModule fetch(String url) throws FetchException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new FetchException("InvalidUrl", "cannot parse url " + url, false);
    }
    HttpTransport.Response response = http.get(uri, Map.of());
    if (response.status() != 200) {
      throw new FetchException(
          "FetchFailed",
          "GET " + url + " answered HTTP " + response.status(),
          response.status() == 404 || response.status() == 408);
    }
    byte[] module = ModuleArchive.unpack(response.body(), url, http.maxBytes());
    WasmBytes.requireWasm(module, url);
    return new FetchedModule(module, null);
  }
}
