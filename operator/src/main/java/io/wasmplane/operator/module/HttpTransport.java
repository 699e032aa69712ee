package io.wasmplane.operator.module;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Bounded HTTP GETs for module fetching: a timeout for the headers, a deadline for the whole body,
 * a size limit, and failures that may pass (connection errors, 429, 5xx) marked retryable.
 */
public final class HttpTransport {
  private final HttpClient client;
  private final Duration timeout;
  private final long maxBytes;
  private final Duration bodyDeadline;

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
    // Headers must come within the timeout; the whole body within four times it.
    this.bodyDeadline = timeout.multipliedBy(4);
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
    CompletableFuture<HttpResponse<byte[]>> exchange =
        client.sendAsync(request.build(), LimitedBody.handler(maxBytes));
    try {
      // The request timeout covers the headers only; this bounds the body too.
      HttpResponse<byte[]> response = exchange.get(bodyDeadline.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw new IOException("no complete response within " + bodyDeadline.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LimitedBody.TooLarge
          || cause != null && cause.getCause() instanceof LimitedBody.TooLarge) {
        throw tooLarge(uri);
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(String.valueOf(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.cancel(true);
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
