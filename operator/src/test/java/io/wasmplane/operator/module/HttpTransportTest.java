package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A body that stalls or never ends cannot hold a fetch or its memory for ever, and redirects are
 * followed only to allowed addresses, without credentials once they leave the original host.
 */
class HttpTransportTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext(
        "/stalls",
        exchange -> {
          exchange.sendResponseHeaders(200, 1000);
          OutputStream body = exchange.getResponseBody();
          body.write(new byte[10]);
          body.flush();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.createContext(
        "/endless",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream body = exchange.getResponseBody()) {
            for (int i = 0; i < 64; i++) {
              body.write(new byte[1024]);
            }
          } catch (java.io.IOException e) {
            // the client gave up, as it should
          }
        });
    server.createContext(
        "/ok",
        exchange -> {
          exchange.sendResponseHeaders(200, 3);
          exchange.getResponseBody().write(new byte[] {1, 2, 3});
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void aBodyThatStallsFailsAtTheDeadlineAndMayBeRetried() {
    HttpTransport transport = new HttpTransport(null, Duration.ofMillis(500), 1 << 20);
    assertThatThrownBy(() -> transport.get(uri("/stalls"), Map.of()))
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.getMessage()).contains("no complete response within");
            });
  }

  @Test
  void aBodyLargerThanTheLimitIsRefusedWithoutADeclaredLength() {
    HttpTransport transport = new HttpTransport(null, Duration.ofSeconds(5), 16 * 1024);
    assertThatThrownBy(() -> transport.get(uri("/endless"), Map.of()))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.reason()).isEqualTo("ModuleTooLarge"));
  }

  @Test
  void aCompleteBodyIsReturned() throws Exception {
    HttpTransport transport = new HttpTransport(null, Duration.ofSeconds(5), 16);
    assertThat(transport.get(uri("/ok"), Map.of()).body()).containsExactly(1, 2, 3);
  }

  @Test
  void aMetadataAddressIsRefusedWithAClearMessage() {
    HttpTransport transport = new HttpTransport(null, Duration.ofSeconds(5), 16);
    URI metadata = URI.create("http://169.254.169.254/latest/meta-data/x.wasm");
    assertThatThrownBy(() -> transport.get(metadata, Map.of()))
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("FetchDenied");
              assertThat(e.retryable()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo(
                      "GET http://169.254.169.254/latest/meta-data/x.wasm: 169.254.169.254 is a"
                          + " link-local/cloud metadata address; fetching from it is refused");
            });
  }

  @Test
  void aRedirectToTheMetadataAddressIsRefused() {
    try (RecordingServer redirector =
        RecordingServer.start(
            "127.0.0.1", RecordingServer.redirectTo("http://169.254.169.254/latest/meta-data/"))) {
      HttpTransport transport = new HttpTransport(null, Duration.ofSeconds(5), 1024);
      URI start = redirector.uri("/plugin.wasm");
      assertThatThrownBy(() -> transport.get(start, Map.of()))
          .isInstanceOfSatisfying(
              FetchException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("FetchDenied");
                assertThat(e.getMessage())
                    .startsWith("GET " + start + " (redirected to http://169.254.169.254/")
                    .endsWith(
                        "169.254.169.254 is a link-local/cloud metadata address;"
                            + " fetching from it is refused");
              });
    }
  }

  @Test
  void aRedirectIntoADeniedRangeNeverReachesIt() {
    try (RecordingServer denied = RecordingServer.start("127.0.0.2", RecordingServer.ok("x"));
        RecordingServer redirector =
            RecordingServer.start(
                "127.0.0.1", RecordingServer.redirectTo(denied.origin() + "/plugin.wasm"))) {
      HttpTransport transport =
          new HttpTransport(
              null, Duration.ofSeconds(5), 1024, AddressPolicy.denying(List.of("127.0.0.2/32")));
      assertThatThrownBy(() -> transport.get(redirector.uri("/plugin.wasm"), Map.of()))
          .isInstanceOfSatisfying(
              FetchException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("FetchDenied");
                assertThat(e.getMessage())
                    .contains("127.0.0.2 is in a denied range (--fetch-deny-cidr 127.0.0.2/32)");
              });
      assertThat(redirector.requests()).hasSize(1);
      assertThat(denied.requests()).isEmpty();
    }
  }

  @Test
  void authorizationFollowsRedirectsOnTheSameHostOnly() throws Exception {
    try (RecordingServer storage = RecordingServer.start("127.0.0.2", RecordingServer.ok("blob"));
        RecordingServer registry =
            RecordingServer.start(
                "127.0.0.1",
                exchange -> {
                  String next =
                      exchange.getRequestURI().getPath().equals("/v2/blob")
                          ? "/v2/blob-moved"
                          : storage.origin() + "/signed?sig=1";
                  exchange.getResponseHeaders().add("Location", next);
                  exchange.sendResponseHeaders(307, -1);
                })) {
      HttpTransport transport = new HttpTransport(null, Duration.ofSeconds(5), 1024);
      HttpTransport.Response response =
          transport.get(registry.uri("/v2/blob"), Map.of("authorization", "Bearer secret"));

      assertThat(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("blob");
      assertThat(registry.requests())
          .containsExactly(
              new RecordingServer.Request("/v2/blob", "Bearer secret"),
              new RecordingServer.Request("/v2/blob-moved", "Bearer secret"));
      assertThat(storage.requests()).containsExactly(new RecordingServer.Request("/signed", null));
    }
  }

  @Test
  void moreThanFiveRedirectsFail() {
    try (RecordingServer loop =
        RecordingServer.start("127.0.0.1", RecordingServer.redirectTo("/again"))) {
      HttpTransport transport = new HttpTransport(null, Duration.ofSeconds(5), 1024);
      assertThatThrownBy(() -> transport.get(loop.uri("/start"), Map.of()))
          .isInstanceOfSatisfying(
              FetchException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("FetchFailed");
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).endsWith("redirected more than 5 times");
              });
      assertThat(loop.requests()).hasSize(HttpTransport.MAX_REDIRECTS + 1);
    }
  }
}
