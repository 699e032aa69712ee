package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins who the module server gives bytes to: a caller must authenticate, name its own node and ask
 * for a module in that node's plan.
 */
class ModuleHandlerTest {
  private static final String PLANNED = "ab".repeat(32);
  private static final String UNPLANNED = "cd".repeat(32);
  private static final String MISSING = "ef".repeat(32);
  private static final byte[] BYTES = {0, 'a', 's', 'm', 1, 0, 0, 0};

  @TempDir Path dir;
  private final List<String> downloads = new CopyOnWriteArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer http;
  private ModuleHandler handler;

  /** Pod ns/pod-a for "Bearer a"; apiserver trouble for "Bearer flaky"; else unauthenticated. */
  static ProxyCaller authenticate(CallerCredentials credentials)
      throws ProxyAuthenticator.AuthFailure {
    String token = credentials.bearerToken();
    if ("a".equals(token)) {
      return ProxyCaller.pod("ns", "pod-a", "uid-a", null);
    }
    if ("flaky".equals(token)) {
      throw new ProxyAuthenticator.AuthFailure(Status.Code.UNAVAILABLE, "cannot review now");
    }
    throw new ProxyAuthenticator.AuthFailure(Status.Code.UNAUTHENTICATED, "no bearer token");
  }

  /** Whether {@code sha256} is planned for {@code node}: PLANNED for pod-a.ns, or with no node. */
  static boolean planned(String node, String sha256) {
    return (node == null || node.equals("pod-a.ns")) && sha256.equals(PLANNED);
  }

  private void serve(ProxyAuthenticator authenticator) throws Exception {
    Path file = Files.write(dir.resolve("module.wasm"), BYTES);
    Map<String, Path> files = Map.of(PLANNED, file, UNPLANNED, file);
    handler =
        new ModuleHandler(
            sha256 -> Optional.ofNullable(files.get(sha256)),
            authenticator,
            ModuleHandlerTest::planned,
            new ModuleDownloads() {
              @Override
              public void started(String proxy, String sha256) {
                downloads.add("started " + proxy + " " + sha256);
              }

              @Override
              public void downloaded(String proxy, String sha256) {
                downloads.add("downloaded " + proxy + " " + sha256);
              }
            });
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    http.createContext(ModuleHandler.PATH, handler);
    http.start();
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.stop(0);
    }
  }

  private HttpResponse<byte[]> get(String method, String path, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String module(String sha256) {
    return ModuleHandler.PATH
        + switch (sha256) {
          case "PLANNED" -> PLANNED;
          case "UNPLANNED" -> UNPLANNED;
          case "MISSING" -> MISSING;
          default -> sha256;
        };
  }

  @ParameterizedTest(name = "[{0}] {1}{2} -> {3}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "NULL, PLANNED, ?proxy=pod-a.ns, 401, no bearer token",
        "Bearer wrong, PLANNED, ?proxy=pod-a.ns, 401, no bearer token",
        "Bearer flaky, PLANNED, ?proxy=pod-a.ns, 503, cannot review now",
        "Bearer a, PLANNED, ?proxy=pod-b.ns, 403, 'the token is Pod ns/pod-a''s, not pod-b.ns''s'",
        "Bearer a, PLANNED, ?proxy=pod-a.other, 403, 'the token is Pod ns/pod-a''s, not pod-a.other''s'",
        "Bearer a, PLANNED, '', 400, the module url names no proxy",
        "Bearer a, PLANNED, ?attempt=2, 400, the module url names no proxy",
        "Bearer a, UNPLANNED, ?proxy=pod-a.ns, 404, ''",
        "Bearer a, MISSING, ?proxy=pod-a.ns, 404, ''",
        "Bearer a, not-a-digest, ?proxy=pod-a.ns, 404, ''",
      })
  void refusals(String authorization, String sha256, String query, int status, String body)
      throws Exception {
    serve(ModuleHandlerTest::authenticate);

    HttpResponse<byte[]> response = get("GET", module(sha256) + query, authorization);

    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(new String(response.body(), StandardCharsets.UTF_8).strip()).isEqualTo(body);
    assertThat(handler.served()).isZero();
    assertThat(downloads).isEmpty();
  }

  @Test
  void theCallersOwnPlannedModuleIsServedAndItsDownloadReported() throws Exception {
    serve(ModuleHandlerTest::authenticate);

    HttpResponse<byte[]> response =
        get("GET", module("PLANNED") + "?proxy=pod-a.ns&attempt=2", "Bearer a");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BYTES);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/wasm");
    assertThat(handler.served()).isEqualTo(1);
    assertThat(downloads)
        .containsExactly("started pod-a.ns " + PLANNED, "downloaded pod-a.ns " + PLANNED);
  }

  @Test
  void anUrlEncodedNodeIdIsDecoded() throws Exception {
    serve(ModuleHandlerTest::authenticate);

    HttpResponse<byte[]> response = get("GET", module("PLANNED") + "?proxy=pod%2Da.ns", "Bearer a");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BYTES);
  }

  @Test
  void withoutAuthenticationAnUrlWithoutProxyIsCheckedAgainstAnyPlan() throws Exception {
    serve(ProxyAuthenticator.NONE);

    assertThat(get("GET", module("PLANNED"), null).statusCode()).isEqualTo(200);
    assertThat(get("GET", module("UNPLANNED"), null).statusCode()).isEqualTo(404);
    assertThat(get("GET", module("PLANNED") + "?proxy=pod-b.ns", null).statusCode())
        .as("still only what that node's plan holds")
        .isEqualTo(404);
    assertThat(handler.served()).isEqualTo(1);
    assertThat(downloads).as("no proxy named, none to tell").isEmpty();
  }

  @Test
  void onlyGetIsServed() throws Exception {
    serve(ModuleHandlerTest::authenticate);

    assertThat(get("POST", module("PLANNED") + "?proxy=pod-a.ns", "Bearer a").statusCode())
        .isEqualTo(404);
    assertThat(handler.served()).isZero();
  }
}
