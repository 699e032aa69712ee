package io.wasmplane.operator.module;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Bounded, guarded HTTP GETs for module fetching: a timeout for the headers, a deadline for the
 * whole body, a size limit, redirects followed hop by hop to allowed addresses only, and failures
 * that may pass (connection errors, 429, 5xx) marked retryable.
 */
public final class HttpTransport {
  /** Redirect statuses followed; every request is a GET, so 303 needs no method change. */
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  /** Redirects followed before a fetch gives up. */
  public static final int MAX_REDIRECTS = 5;

  private final HttpClient client;
  private final Duration timeout;
  private final long maxBytes;
  private final Duration bodyDeadline;
  private final AddressPolicy policy;

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
    this(ssl, timeout, maxBytes, AddressPolicy.DEFAULT);
  }

  /** A transport that connects only where {@code policy} allows, on every redirect hop too. */
  public HttpTransport(SSLContext ssl, Duration timeout, long maxBytes, AddressPolicy policy) {
    // Redirects are followed here, so that each hop's address is checked before it is dialled.
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
    if (ssl != null) {
      builder.sslContext(ssl);
    }
    this.client = builder.build();
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.policy = policy;
    // Headers must come within the timeout; the whole body within four times it.
    this.bodyDeadline = timeout.multipliedBy(4);
  }

  public long maxBytes() {
    return maxBytes;
  }

  /**
   * GETs {@code uri}, following up to {@value #MAX_REDIRECTS} redirects; returns the response
   * whatever its status, unless it is a transient one. Every hop's host is resolved and checked
   * against the address policy before it is connected to, and an {@code Authorization} header is
   * dropped once a redirect leaves {@code uri}'s scheme, host and port.
   */
  public Response get(URI uri, Map<String, String> headers) throws FetchException {
    return request(uri, headers, null);
  }

  /**
   * POSTs the form {@code form} ({@code application/x-www-form-urlencoded}) to {@code uri} under
   * the same guards as {@link #get}, except that a redirect is returned, not followed.
   */
  public Response post(URI uri, Map<String, String> headers, String form) throws FetchException {
    return request(uri, headers, form);
  }

  private Response request(URI uri, Map<String, String> headers, String form)
      throws FetchException {
    URI current = uri;
    Map<String, String> sent = headers;
    String method = form == null ? "GET " : "POST ";
    for (int hop = 0; ; hop++) {
      guard(method, uri, current);
      Response response;
      try {
        response = once(current, sent, form);
      } catch (IOException e) {
        throw new FetchException(
            "FetchFailed", method + describe(uri, current) + " failed: " + describe(e), true);
      }
      if (REDIRECTS.contains(response.status()) && form == null) {
        if (hop == MAX_REDIRECTS) {
          throw new FetchException(
              "FetchFailed",
              "GET " + uri + " redirected more than " + MAX_REDIRECTS + " times",
              false);
        }
        URI next = redirectTarget(uri, current, response);
        if (!sameOrigin(uri, next)) {
          sent = withoutAuthorization(sent);
        }
        current = next;
        continue;
      }
      if (response.status() == 429 || response.status() >= 500) {
        throw new FetchException(
            "FetchFailed",
            method + describe(uri, current) + " answered HTTP " + response.status(),
            true);
      }
      return response;
    }
  }

  /**
   * Refuses {@code target} unless its scheme is http(s) and every address of its host allowed;
   * {@code method} (with its trailing space) starts the messages.
   */
  private void guard(String method, URI original, URI target) throws FetchException {
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException(
          "FetchFailed", method + describe(original, target) + ": not an http(s) url", false);
    }
    String host = target.getHost();
    if (host == null) {
      throw new FetchException(
          "FetchFailed", method + describe(original, target) + ": the url has no host", false);
    }
    InetAddress[] addresses;
    try {
      // The JVM's DNS cache answers HttpClient's own lookup the same way.
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new FetchException(
          "FetchFailed", method + describe(original, target) + ": unknown host " + host, true);
    }
    for (InetAddress address : addresses) {
      Optional<String> refusal = policy.refusal(address);
      if (refusal.isPresent()) {
        boolean literal = host.startsWith("[") || host.matches("[0-9.]+");
        String subject =
            literal
                ? host.replaceAll("^\\[|]$", "") + " is "
                : host + " resolves to " + address.getHostAddress() + ", which is ";
        throw new FetchException(
            "FetchDenied",
            method
                + describe(original, target)
                + ": "
                + subject
                + refusal.get()
                + "; fetching from it is refused",
            false);
      }
    }
  }

  private static URI redirectTarget(URI original, URI current, Response response)
      throws FetchException {
    String location = response.header("Location");
    if (location == null || location.isBlank()) {
      throw new FetchException(
          "FetchFailed",
          "GET "
              + describe(original, current)
              + " answered HTTP "
              + response.status()
              + " without a Location",
          false);
    }
    URI next;
    try {
      next = current.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new FetchException(
          "FetchFailed",
          "GET " + describe(original, current) + " redirected to an invalid url " + location,
          false);
    }
    if ("https".equalsIgnoreCase(current.getScheme())
        && "http".equalsIgnoreCase(next.getScheme())) {
      throw new FetchException(
          "FetchFailed",
          "GET " + describe(original, current) + " redirected from https to plain http " + next,
          false);
    }
    return next;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static Map<String, String> withoutAuthorization(Map<String, String> headers) {
    Map<String, String> kept = new LinkedHashMap<>(headers);
    kept.keySet().removeIf(name -> name.equalsIgnoreCase("Authorization"));
    return kept;
  }

  /** {@code uri}, and where it was redirected to if that is elsewhere. */
  private static String describe(URI original, URI current) {
    return original.equals(current)
        ? original.toString()
        : original + " (redirected to " + current + ")";
  }

  private Response once(URI uri, Map<String, String> headers, String form)
      throws IOException, FetchException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout);
    if (form == null) {
      request.GET();
    } else {
      request
          .POST(HttpRequest.BodyPublishers.ofString(form))
          .header("Content-Type", "application/x-www-form-urlencoded");
    }
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
