package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import io.wasmplane.crd.ImageReference;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An {@code identitytoken} is swapped for a bearer token; a {@code registrytoken} is one. */
class RegistryTokensTest {
  private static final byte[] MODULE = {0, 'a', 's', 'm', 1, 0, 0, 0};
  private static final String BLOB = "sha256:" + WasmBytes.sha256Hex(MODULE);

  private final HttpTransport http = new HttpTransport(null, Duration.ofSeconds(5), 1 << 20);
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  private RecordingServer tokens;
  private RecordingServer registry;

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  /** A token service that grants {@code token} for the OAuth2 refresh token {@code refresh}. */
  private void startOauthTokens(String refresh, String token) {
    tokens =
        RecordingServer.start(
            "127.0.0.1",
            exchange -> {
              String body =
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
              tokenRequests.add(exchange.getRequestMethod() + " " + body);
              Map<String, String> form = form(body);
              if (exchange.getRequestMethod().equals("POST")
                  && "refresh_token".equals(form.get("grant_type"))
                  && refresh.equals(form.get("refresh_token"))) {
                send(exchange, 200, "{\"access_token\":\"" + token + "\"}");
              } else {
                send(exchange, 401, "{}");
              }
            });
  }

  @Test
  void anIdentityTokenIsUsedAsARefreshTokenAtTheTokenService() throws Exception {
    startOauthTokens("refresh-me", "granted");
    startRegistry("Bearer granted", "Bearer realm=\"%s/token\",service=\"registry.test\"");

    FetchedModule module = fetch(new RegistryCredentials("<token>", null, "refresh-me", null));

    assertThat(module.bytes()).isEqualTo(MODULE);
    assertThat(tokenRequests).hasSize(1);
    Map<String, String> form = form(tokenRequests.get(0).substring("POST ".length()));
    assertThat(tokenRequests.get(0)).startsWith("POST ");
    assertThat(form)
        .containsEntry("grant_type", "refresh_token")
        .containsEntry("refresh_token", "refresh-me")
        .containsEntry("service", "registry.test")
        .containsEntry("scope", "repository:app:pull");
  }

  @Test
  void aWrongIdentityTokenIsRefused() {
    startOauthTokens("refresh-me", "granted");
    startRegistry("Bearer granted", "Bearer realm=\"%s/token\",service=\"registry.test\"");

    assertThatThrownBy(() -> fetch(new RegistryCredentials(null, null, "stale", null)))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.reason()).isEqualTo("RegistryUnauthorized"))
        .hasMessageContaining("/token answered HTTP 401");
  }

  @Test
  void aTokenServiceWithoutOauthIsAskedWithBasicAuth() throws Exception {
    tokens =
        RecordingServer.start(
            "127.0.0.1",
            exchange -> {
              tokenRequests.add(exchange.getRequestMethod());
              boolean basic =
                  exchange.getRequestHeaders().getFirst("Authorization") != null
                      && exchange.getRequestMethod().equals("GET");
              send(exchange, basic ? 200 : 404, basic ? "{\"token\":\"basic\"}" : "{}");
            });
    startRegistry("Bearer basic", "Bearer realm=\"%s/token\"");

    assertThat(fetch(new RegistryCredentials("u", "p", "refresh-me", null)).bytes())
        .isEqualTo(MODULE);
    assertThat(tokenRequests).containsExactly("POST", "GET");
  }

  @Test
  void aRegistryTokenGoesToTheRegistryAsTheBearerToken() throws Exception {
    tokens = RecordingServer.start("127.0.0.1", exchange -> send(exchange, 500, "{}"));
    startRegistry("Bearer direct", "Bearer realm=\"%s/token\"");

    assertThat(fetch(new RegistryCredentials(null, null, null, "direct")).bytes())
        .isEqualTo(MODULE);
    assertThat(tokens.requests()).as("no token service is asked").isEmpty();
  }

  @Test
  void aRegistryTokenAnswersABasicChallengeToo() throws Exception {
    tokens = RecordingServer.start("127.0.0.1", exchange -> send(exchange, 500, "{}"));
    startRegistry("Bearer direct", "Basic realm=\"registry\"");

    assertThat(fetch(new RegistryCredentials("u", "p", null, "direct")).bytes()).isEqualTo(MODULE);
  }

  private FetchedModule fetch(RegistryCredentials credentials) throws FetchException {
    String reference = "127.0.0.1:" + registry.uri("/").getPort() + "/app:v1";
    return new OciModuleFetcher(http, Set.of()).fetch(ImageReference.parse(reference), credentials);
  }

  /** A registry that wants {@code authorization}, else answers 401 with {@code challenge}. */
  private void startRegistry(String authorization, String challenge) {
    String manifest =
        """
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "layers": [{"mediaType": "%s", "digest": "%s", "size": %d}]}"""
            .formatted(OciModuleFetcher.WASM_LAYER, BLOB, MODULE.length);
    registry =
        RecordingServer.start(
            "127.0.0.1",
            exchange -> {
              if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange
                    .getResponseHeaders()
                    .add("WWW-Authenticate", challenge.formatted(tokens.origin()));
                exchange.sendResponseHeaders(401, -1);
                return;
              }
              boolean blob = exchange.getRequestURI().getPath().endsWith(BLOB);
              exchange.sendResponseHeaders(200, blob ? MODULE.length : manifest.length());
              exchange
                  .getResponseBody()
                  .write(blob ? MODULE : manifest.getBytes(StandardCharsets.UTF_8));
            });
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Map<String, String> form(String body) {
    return java.util.Arrays.stream(body.split("&"))
        .filter(pair -> pair.contains("="))
        .collect(
            Collectors.toMap(
                pair -> pair.substring(0, pair.indexOf('=')),
                pair ->
                    URLDecoder.decode(
                        pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8)));
  }
}
