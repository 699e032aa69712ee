package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A body that stalls or never ends cannot hold a fetch or its memory for ever. */
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
}
