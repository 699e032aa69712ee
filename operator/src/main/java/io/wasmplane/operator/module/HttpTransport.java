package io.wasmplane.operator.module;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Bounded HTTP GETs for module fetching: timeouts, a size limit, and a few retries with backoff for
 * failures that may pass (connection errors, 429, 5xx).
 */
public final class HttpTransport {
  private final HttpClient client;
  private final Duration timeout;
  private final long maxBytes;

  /** A response whose body was read within the size limit. */
  public record Response(int status, Map<String, java.util.List<String>> headers, byte[] body) {
    public String header(String name) {
      for (Map.Entry<String, java.util.List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  public HttpTransport(SSLContext ssl, Duration timeout, long maxBytes) {
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.client = builder.build();
    this.timeout = timeout;
    this.maxBytes = maxBytes;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** GETs {@code uri}; returns the response whatever its status, unless it is a transient one. */
  public Response get(URI uri, Map<String, String> headers) throws FetchException {
    try {
      Response response = once(uri, headers);
      if (response.status() == 429 || response.status() >= 500) {
        throw new FetchException(
            "FetchFailed", "GET " + uri + " answered HTTP " + response.status(), true);
      }
      return response;
    } catch (IOException e) {
      throw new FetchException("FetchFailed", "GET " + uri + " failed: " + describe(e), true);
    }
  }

  private Response once(URI uri, Map<String, String> headers) throws IOException, FetchException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    headers.forEach(request::header);
    try {
      HttpResponse<InputStream> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > maxBytes) {
          throw tooLarge(uri);
        }
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
          throw tooLarge(uri);
        }
        return new Response(response.statusCode(), response.headers().map(), bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private FetchException tooLarge(URI uri) {
    return new FetchException(
        "ModuleTooLarge", uri + " is larger than the limit of " + maxBytes + " bytes", false);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
