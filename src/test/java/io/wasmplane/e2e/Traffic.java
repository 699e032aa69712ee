package io.wasmplane.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Sends test requests through an Envoy listener to the echo upstream. */
final class Traffic {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private Traffic() {}

  /**
   * One response: status, the upstream's echo of the request headers, and the response headers
   * (none when nothing answered).
   */
  record Reply(int status, String body, Map<String, List<String>> responseHeaders) {
    Reply(int status, String body) {
      this(status, body, Map.of());
    }

    /** The values of response header {@code name}, in order. */
    List<String> responseHeader(String name) {
      return responseHeaders.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    /** The values of request header {@code name} that reached the upstream, in order. */
    List<String> header(String name) {
      String prefix = name + ": ";
      return body.lines()
          .filter(l -> l.startsWith(prefix))
          .map(l -> l.substring(prefix.length()))
          .toList();
    }

    /** The {@code x-wasmplane-chain} marks: which header-chain plugins ran, in order. */
    List<String> chain() {
      return header("x-wasmplane-chain");
    }
  }

  /** GET / on {@code port}; status -1 if nothing listens there yet. */
  static Reply get(int port) {
    return get(port, Map.of());
  }

  /** GET / on {@code port} with request {@code headers}; status -1 if nothing listens there yet. */
  static Reply get(int port, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(Duration.ofSeconds(5));
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers().map());
    } catch (IOException e) {
      return new Reply(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, e.toString());
    }
  }
}
