package io.wasmplane.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Sends test requests through an Envoy listener to the echo upstream. */
final class Traffic {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private Traffic() {}

  /** One response: status, and the upstream's echo of the request headers. */
  record Reply(int status, String body) {
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
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Reply(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, e.toString());
    }
  }
}
