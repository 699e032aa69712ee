package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An {@code identitytoken} is swapped for a bearer token; a {@code registrytoken} is one. */
class RegistryTokensTest {
  private static final byte[] MODULE = BearerRegistry.MODULE;

  private final BearerRegistry servers = new BearerRegistry();
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.close();
  }

  /** A token service that grants {@code token} for the OAuth2 refresh token {@code refresh}. */
  private void startOauthTokens(String refresh, String token) {
    servers.tokens =
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
    servers.start("Bearer granted", "Bearer realm=\"%s/token\",service=\"registry.test\"");

    FetchedModule module =
        servers.fetch(new RegistryCredentials("<token>", null, "refresh-me", null));

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
    servers.start("Bearer granted", "Bearer realm=\"%s/token\",service=\"registry.test\"");

    assertThatThrownBy(() -> servers.fetch(new RegistryCredentials(null, null, "stale", null)))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.reason()).isEqualTo("RegistryUnauthorized"))
        .hasMessageContaining("/token answered HTTP 401");
  }

  @Test
  void aTokenServiceWithoutOauthIsAskedWithBasicAuth() throws Exception {
    servers.tokens =
        RecordingServer.start(
            "127.0.0.1",
            exchange -> {
              tokenRequests.add(exchange.getRequestMethod());
              boolean basic =
                  exchange.getRequestHeaders().getFirst("Authorization") != null
                      && exchange.getRequestMethod().equals("GET");
              send(exchange, basic ? 200 : 404, basic ? "{\"token\":\"basic\"}" : "{}");
            });
    servers.start("Bearer basic", "Bearer realm=\"%s/token\"");

    assertThat(servers.fetch(new RegistryCredentials("u", "p", "refresh-me", null)).bytes())
        .isEqualTo(MODULE);
    assertThat(tokenRequests).containsExactly("POST", "GET");
  }

  @Test
  void aRegistryTokenGoesToTheRegistryAsTheBearerToken() throws Exception {
    servers.tokens = RecordingServer.start("127.0.0.1", exchange -> send(exchange, 500, "{}"));
    servers.start("Bearer direct", "Bearer realm=\"%s/token\"");

    assertThat(servers.fetch(new RegistryCredentials(null, null, null, "direct")).bytes())
        .isEqualTo(MODULE);
    assertThat(servers.tokens.requests()).as("no token service is asked").isEmpty();
  }

  @Test
  void aRegistryTokenAnswersABasicChallengeToo() throws Exception {
    servers.tokens = RecordingServer.start("127.0.0.1", exchange -> send(exchange, 500, "{}"));
    servers.start("Bearer direct", "Basic realm=\"registry\"");

    assertThat(servers.fetch(new RegistryCredentials("u", "p", null, "direct")).bytes())
        .isEqualTo(MODULE);
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
