package io.wasmplane.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The simulated proxies' remote code fetches: a GET of the {@code wasmplane-modules} cluster's uri
 * sent to the control plane's HTTP port, on a small pool, checked against the expected sha256 (in
 * full the first time a digest is fetched, by length afterwards, to spare the benchmark's CPU).
 */
final class FleetCodeFetcher implements AutoCloseable {
  private final int httpPort;
  private final ExecutorService pool = Executors.newFixedThreadPool(32, FleetCodeFetcher::daemon);
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final Map<String, Long> verifiedLengths = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<String> lastFailure = new AtomicReference<>("");

  FleetCodeFetcher(int httpPort) {
    this.httpPort = httpPort;
  }

  /** Starts fetching {@code uri} for {@code proxy}; the proxy hears the outcome. */
  void fetch(FleetProxy proxy, String uri, String sha256) {
    URI remote = URI.create(uri);
    URI local =
        URI.create(
            "http://127.0.0.1:"
                + httpPort
                + remote.getRawPath()
                + (remote.getRawQuery() == null ? "" : "?" + remote.getRawQuery()));
    pool.execute(
        () -> {
          try {
            proxy.fetched(sha256, download(local, sha256));
          } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            lastFailure.set(local + ": " + e);
            proxy.fetchFailed(sha256);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proxy.fetchFailed(sha256);
          }
        });
  }

  /** Opens the HTTP client's first connection, so that the first fetches are not slower. */
  void warmUp() throws IOException, InterruptedException {
    client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/healthz"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  long failures() {
    return failures.get();
  }

  String lastFailure() {
    return lastFailure.get();
  }

  private long download(URI uri, String sha256) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest digest = verifiedLengths.containsKey(sha256) ? null : sha256Digest();
    long length = 0;
    try (InputStream in = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        length += n;
        if (digest != null) {
          digest.update(buffer, 0, n);
        }
      }
    }
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    if (digest != null) {
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(sha256)) {
        throw new IOException("sha256 " + actual + ", expected " + sha256);
      }
      verifiedLengths.put(sha256, length);
    } else if (verifiedLengths.get(sha256) != length) {
      throw new IOException(length + " bytes, expected " + verifiedLengths.get(sha256));
    }
    return length;
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "fleet-fetch");
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }
}
