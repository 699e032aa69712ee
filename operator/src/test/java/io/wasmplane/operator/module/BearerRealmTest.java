package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pull secret goes to a bearer token service only over https or on the registry's host. */
class BearerRealmTest {
  private static final byte[] MODULE = BearerRegistry.MODULE;
  private static final RegistryCredentials CREDENTIALS = new RegistryCredentials("user", "pass");
  private static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));

  private final BearerRegistry servers = new BearerRegistry();

  @AfterEach
  void stop() {
    servers.close();
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
    servers.tokens = RecordingServer.start("127.0.0.2", RecordingServer.ok("{\"token\":\"anon\"}"));
    startRegistry("anon");

    FetchedModule module = fetch();

    assertThat(module.bytes()).isEqualTo(MODULE);
    assertThat(servers.tokens.requests())
        .containsExactly(new RecordingServer.Request("/token", null));
  }

  @Test
  void aRealmOnTheRegistrysHostGetsTheCredentials() throws Exception {
    servers.tokens =
        RecordingServer.start("127.0.0.1", RecordingServer.ok("{\"token\":\"granted\"}"));
    startRegistry("granted");

    assertThat(fetch().bytes()).isEqualTo(MODULE);
    assertThat(servers.tokens.requests())
        .containsExactly(new RecordingServer.Request("/token", BASIC));
  }

  @Test
  void aRefusedAnonymousTokenSaysTheCredentialsWereWithheld() {
    servers.tokens =
        RecordingServer.start("127.0.0.2", exchange -> exchange.sendResponseHeaders(401, -1));
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
                          + servers.tokens.origin()
                          + "/token: plain http on another host than the registry");
            });
  }

  private FetchedModule fetch() throws FetchException {
    return servers.fetch(CREDENTIALS);
  }

  /** A registry that wants {@code Bearer <token>} from the token service. */
  private void startRegistry(String token) {
    servers.start("Bearer " + token, "Bearer realm=\"%s/token\",service=\"registry\"");
  }
}
