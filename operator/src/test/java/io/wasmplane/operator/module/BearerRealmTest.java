package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmplane.crd.ImageReference;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pull secret goes to a bearer token service only over https or on the registry's host. */
class BearerRealmTest {
  private static final byte[] MODULE = {0, 'a', 's', 'm', 1, 0, 0, 0};
  private static final String BLOB = "sha256:" + WasmBytes.sha256Hex(MODULE);
  private static final RegistryCredentials CREDENTIALS = new RegistryCredentials("user", "pass");
  private static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));

  private final HttpTransport http = new HttpTransport(null, Duration.ofSeconds(5), 1 << 20);
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

  @ParameterizedTest(name = "{0} for {1}: {2}")
  @CsvSource({
    "https://auth.example/token, https://registry.example/v2/app, true",
    "https://auth.example/token, http://registry.example:5000/v2/app, true",
    "http://registry.example:5001/token, http://registry.example:5000/v2/app, true",
    "HTTP://REGISTRY.example/token, https://registry.example/v2/app, true",
    "http://auth.example/token, https://registry.example/v2/app, false",
    "http://169.254.169.254/token, http://127.0.0.1:5000/v2/app, false",
  })
  void credentialsGoToHttpsRealmsAndTheRegistrysOwnHost(
      String realm, String registry, boolean expected) {
    assertThat(OciModuleFetcher.mayReceiveCredentials(URI.create(realm), URI.create(registry)))
        .isEqualTo(expected);
  }

  @Test
  void aPlainHttpRealmOnAnotherHostIsAskedAnonymously() throws Exception {
    tokens = RecordingServer.start("127.0.0.2", RecordingServer.ok("{\"token\":\"anon\"}"));
    startRegistry("anon");

    FetchedModule module = fetch();

    assertThat(module.bytes()).isEqualTo(MODULE);
    assertThat(tokens.requests()).containsExactly(new RecordingServer.Request("/token", null));
  }

  @Test
  void aRealmOnTheRegistrysHostGetsTheCredentials() throws Exception {
    tokens = RecordingServer.start("127.0.0.1", RecordingServer.ok("{\"token\":\"granted\"}"));
    startRegistry("granted");

    assertThat(fetch().bytes()).isEqualTo(MODULE);
    assertThat(tokens.requests()).containsExactly(new RecordingServer.Request("/token", BASIC));
  }

  @Test
  void aRefusedAnonymousTokenSaysTheCredentialsWereWithheld() {
    tokens = RecordingServer.start("127.0.0.2", exchange -> exchange.sendResponseHeaders(401, -1));
    startRegistry("never");

    assertThatThrownBy(this::fetch)
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("RegistryUnauthorized");
              assertThat(e.getMessage())
                  .contains("answered HTTP 401")
                  .contains(
                      "the credentials were not sent to token service "
                          + tokens.origin()
                          + "/token: plain http on another host than the registry");
            });
  }

  private FetchedModule fetch() throws FetchException {
    String reference = "127.0.0.1:" + registry.uri("/").getPort() + "/app:v1";
    return new OciModuleFetcher(http, Set.of()).fetch(ImageReference.parse(reference), CREDENTIALS);
  }

  /** A registry that wants {@code Bearer <token>} from the token service {@link #tokens}. */
  private void startRegistry(String token) {
    String manifest =
        """
        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "layers": [{"mediaType": "%s", "digest": "%s", "size": %d}]}"""
            .formatted(OciModuleFetcher.WASM_LAYER, BLOB, MODULE.length);
    registry =
        RecordingServer.start(
            "127.0.0.1",
            exchange -> {
              if (!("Bearer " + token)
                  .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange
                    .getResponseHeaders()
                    .add(
                        "WWW-Authenticate",
                        "Bearer realm=\"" + tokens.origin() + "/token\",service=\"registry\"");
                exchange.sendResponseHeaders(401, -1);
                return;
              }
              byte[] body =
                  exchange.getRequestURI().getPath().endsWith(BLOB)
                      ? MODULE
                      : manifest.getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            });
  }
}
