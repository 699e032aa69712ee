package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.chain;
import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wasmplane.testbed.Envoy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Module urls and redirects to metadata or denied addresses are refused; the rest still runs. */
class FetchGuardIT extends DirectoryFixture {
  private static final Duration CONVERGE = Duration.ofSeconds(40);
  private static final String METADATA = "http://169.254.169.254/latest/meta-data/";
  private static final String REFUSED =
      "169.254.169.254 is a link-local/cloud metadata address; fetching from it is refused";

  /** Starts a server on {@code host} answering every request with 302 to {@code location}. */
  private static HttpServer redirector(String host, String location, AtomicInteger requests)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 8);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.getResponseHeaders().add("Location", location);
          exchange.sendResponseHeaders(302, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static String url(HttpServer server, String path) {
    InetSocketAddress address = server.getAddress();
    return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path;
  }

  private static String failOpen(String name, String url, int priority) {
    return ociPlugin(name, url, "failStrategy: FAIL_OPEN\npriority: " + priority);
  }

  @Test
  void metadataUrlsAndRedirectsToForbiddenAddressesAreRefusedWhileAGoodPluginRuns()
      throws Exception {
    AtomicInteger deniedRequests = new AtomicInteger();
    AtomicInteger redirects = new AtomicInteger();
    HttpServer denied = redirector("127.0.0.2", METADATA + "never.wasm", deniedRequests);
    HttpServer toMetadata = redirector("127.0.0.1", METADATA + "x.wasm", redirects);
    HttpServer toDenied = redirector("127.0.0.1", url(denied, "/plugin.wasm"), redirects);
    try {
      controlPlane.close();
      controlPlane = DirectoryControlPlane.start("--fetch-deny-cidr", "127.0.0.2/32");
      controlPlane.write("good.yaml", chain("shop", "good", "priority: 10"));
      controlPlane.write(
          "refused.yaml",
          String.join(
              "---\n",
              failOpen("metadata", METADATA + "x.wasm", 3),
              failOpen("via-redirect", url(toMetadata, "/plugin.wasm"), 2),
              failOpen("denied-range", url(toDenied, "/plugin.wasm"), 1)));
      Envoy envoy = proxy("app-1");

      controlPlane.awaitPlugins(
          CONVERGE,
          "FetchDenied: GET " + METADATA + "x.wasm: " + REFUSED,
          "FetchDenied: GET "
              + url(toMetadata, "/plugin.wasm")
              + " (redirected to "
              + METADATA
              + "x.wasm): "
              + REFUSED,
          "FetchDenied: GET "
              + url(toDenied, "/plugin.wasm")
              + " (redirected to "
              + url(denied, "/plugin.wasm")
              + "): 127.0.0.2 is in a denied range (--fetch-deny-cidr"
              + " 127.0.0.2/32); fetching from it is refused");
      Chains.await(envoy, "http", CONVERGE, mark("good"));
      assertThat(redirects.get()).as("both redirectors were asked").isGreaterThanOrEqualTo(2);
      assertThat(deniedRequests.get()).as("the denied address is never connected to").isZero();
    } finally {
      toDenied.stop(0);
      toMetadata.stop(0);
      denied.stop(0);
    }
  }
}
