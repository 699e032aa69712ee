package io.wasmplane.operator.module;

import io.wasmplane.crd.ImageReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/** A one-module OCI registry on loopback that wants a bearer token from a test's token service. */
final class BearerRegistry implements AutoCloseable {
  static final byte[] MODULE = {0, 'a', 's', 'm', 1, 0, 0, 0};
  static final String BLOB = "sha256:" + WasmBytes.sha256Hex(MODULE);

  private final HttpTransport http = new HttpTransport(null, Duration.ofSeconds(5), 1 << 20);

  /** The token service the registry's challenge names; the test starts it. */
  RecordingServer tokens;

  private RecordingServer registry;

  /**
   * Starts the registry: it wants {@code authorization}, else answers 401 with {@code challenge},
   * whose {@code %s} is the token service's origin.
   */
  void start(String authorization, String challenge) {
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
              byte[] body =
                  exchange.getRequestURI().getPath().endsWith(BLOB)
                      ? MODULE
                      : manifest.getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            });
  }

  /** Fetches {@code app:v1} from the registry with {@code credentials}. */
  FetchedModule fetch(RegistryCredentials credentials) throws FetchException {
    String reference = "127.0.0.1:" + registry.uri("/").getPort() + "/app:v1";
    return new OciModuleFetcher(http, Set.of()).fetch(ImageReference.parse(reference), credentials);
  }

  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }
}
