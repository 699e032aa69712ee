package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmplane.crd.ImageReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An access check reads only the manifest, with the plugin's own credentials or none. */
class AccessCheckTest {
  private static final byte[] MANIFEST =
      "{\"schemaVersion\":2,\"layers\":[]}".getBytes(StandardCharsets.UTF_8);
  private static final String DIGEST = "sha256:" + WasmBytes.sha256Hex(MANIFEST);
  private static final RegistryCredentials RIGHT = new RegistryCredentials("user", "pass");
  private static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString("user:pass".getBytes(StandardCharsets.UTF_8));

  private final OciModuleFetcher fetcher =
      new OciModuleFetcher(new HttpTransport(null, Duration.ofSeconds(5), 1 << 20), Set.of());
  private RecordingServer registry;

  @AfterEach
  void stop() {
    registry.close();
  }

  /** A registry behind basic auth that serves one manifest, or answers {@code status}. */
  private ImageReference start(int status) {
    registry =
        RecordingServer.start(
            "127.0.0.1",
            exchange -> {
              if (!BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"r\"");
                exchange.sendResponseHeaders(401, -1);
              } else if (status != 200) {
                exchange.sendResponseHeaders(status, -1);
              } else {
                exchange.sendResponseHeaders(200, MANIFEST.length);
                exchange.getResponseBody().write(MANIFEST);
              }
            });
    return ImageReference.parse(
        "127.0.0.1:" + registry.uri("/").getPort() + "/team/filter@" + DIGEST);
  }

  @Test
  void theRightCredentialsAreGrantedWithOneManifestReadAndNoBlob() {
    ImageReference image = start(200);

    assertThatCode(() -> fetcher.checkAccess(image, RIGHT)).doesNotThrowAnyException();
    assertThat(registry.requests())
        .extracting(RecordingServer.Request::path)
        .containsOnly("/v2/team/filter/manifests/" + DIGEST);
  }

  @Test
  void noCredentialsOrWrongOnesAreADefiniteRefusal() {
    ImageReference image = start(200);

    assertRefused(() -> fetcher.checkAccess(image, null));
    assertRefused(() -> fetcher.checkAccess(image, new RegistryCredentials("user", "guess")));
  }

  @Test
  void aForbiddenAnswerIsARefusal() {
    ImageReference image = start(403);

    assertRefused(() -> fetcher.checkAccess(image, RIGHT));
  }

  @Test
  void aServerErrorIsNoAnswer() {
    ImageReference image = start(503);

    assertThatThrownBy(() -> fetcher.checkAccess(image, RIGHT))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.retryable()).as(e.getMessage()).isTrue());
  }

  @Test
  void aManifestOtherThanThePinnedOneIsNoGrant() {
    start(200);
    ImageReference other =
        ImageReference.parse(
            "127.0.0.1:" + registry.uri("/").getPort() + "/team/filter@sha256:" + "0".repeat(64));

    assertThatThrownBy(() -> fetcher.checkAccess(other, RIGHT))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.reason()).isEqualTo("ChecksumMismatch"));
  }

  private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("RegistryUnauthorized");
              assertThat(e.retryable()).isFalse();
            });
  }
}
