package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wasmplane.crd.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Pulls a Wasm module from a Docker v2 or OCI registry: a layer of type {@code
 * application/vnd.module.wasm.content.layer.v1+wasm}, or an image whose last layer is a tar.gz
 * holding {@code plugin.wasm}. Authenticates as {@link RegistryAuth} says; the pull secret's
 * credentials go only to the registry's host and to token services on it or over https.
 */
public final class OciModuleFetcher implements ImageSource {
  static final String WASM_LAYER = "application/vnd.module.wasm.content.layer.v1+wasm";
  private static final String ACCEPT =
      String.join(
          ", ",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpTransport http;
  private final Set<String> insecureRegistries;

  public OciModuleFetcher(HttpTransport http, Set<String> insecureRegistries) {
    this.http = http;
    this.insecureRegistries = Set.copyOf(insecureRegistries);
  }

  @Override
  public FetchedModule fetch(ImageReference image, RegistryCredentials credentials)
      throws FetchException {
    Session session = new Session(image, credentials);
    HttpTransport.Response manifestResponse =
        session.get("/manifests/" + image.reference(), Map.of("Accept", ACCEPT));
    byte[] manifestBytes = manifestResponse.body();
    JsonNode manifest = parseJson(manifestBytes, image + " manifest");
    if (manifest.has("manifests")) {
      JsonNode first = manifest.path("manifests").path(0);
      if (!first.path("digest").isTextual()) {
        throw new FetchException("InvalidImage", image + " is an empty image index", false);
      }
      manifestBytes =
          session
              .get("/manifests/" + first.path("digest").asText(), Map.of("Accept", ACCEPT))
              .body();
      manifest = parseJson(manifestBytes, image + " manifest");
    }
    // The image digest is that of the manifest the reference names (an index, if it is one).
    String imageDigest = "sha256:" + WasmBytes.sha256Hex(manifestResponse.body());
    if (image.pinned()) {
      String topDigest = "sha256:" + WasmBytes.sha256Hex(manifestResponse.body());
      if (!topDigest.equals(image.reference())) {
        throw new FetchException(
            "ChecksumMismatch", image + " answered a manifest with digest " + topDigest, false);
      }
      imageDigest = topDigest;
    }
    JsonNode layers = manifest.path("layers");
    if (!layers.isArray() || layers.isEmpty()) {
      throw new FetchException("InvalidImage", image + " has no layers", false);
    }
    JsonNode chosen = null;
    for (JsonNode layer : layers) {
      if (WASM_LAYER.equals(layer.path("mediaType").asText())) {
        chosen = layer;
      }
    }
    boolean rawWasm = chosen != null;
    if (chosen == null) {
      chosen = layers.get(layers.size() - 1);
    }
    String digest = chosen.path("digest").asText();
    byte[] blob = session.get("/blobs/" + digest, Map.of()).body();
    if (!("sha256:" + WasmBytes.sha256Hex(blob)).equals(digest)) {
      throw new FetchException(
          "ChecksumMismatch", image + " layer " + digest + " does not match its digest", true);
    }
    byte[] module = rawWasm ? blob : TarGzLayer.wasm(blob, image.toString(), http.maxBytes());
    WasmBytes.requireWasm(module, image.toString());
    return new FetchedModule(module, imageDigest);
  }

  @Override
  public void checkAccess(ImageReference image, RegistryCredentials credentials)
      throws FetchException {
    Session session = new Session(image, credentials);
    byte[] manifest =
        session.get("/manifests/" + image.reference(), Map.of("Accept", ACCEPT)).body();
    String digest = "sha256:" + WasmBytes.sha256Hex(manifest);
    if (image.pinned() && !digest.equals(image.reference())) {
      throw new FetchException(
          "ChecksumMismatch", image + " answered a manifest with digest " + digest, true);
    }
  }

  /**
   * Whether a token service at {@code realm} may receive the pull secret's credentials for the
   * registry at {@code registry}: only over https, or on the registry's own host.
   */
  static boolean mayReceiveCredentials(URI realm, URI registry) {
    if ("https".equalsIgnoreCase(realm.getScheme())) {
      return true;
    }
    return realm.getHost() != null
        && registry.getHost() != null
        && realm.getHost().equalsIgnoreCase(registry.getHost());
  }

  private static JsonNode parseJson(byte[] bytes, String what) throws FetchException {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new FetchException("InvalidImage", what + " is not JSON", false);
    }
  }

  /** One pull: remembers the Authorization header the registry accepted. */
  private final class Session {
    private final ImageReference image;
    private final RegistryCredentials credentials;
    private final String base;
    private final RegistryAuth auth;
    private String authorization;

    Session(ImageReference image, RegistryCredentials credentials) {
      this.image = image;
      this.credentials = credentials;
      boolean plain = image.isLoopback() || insecureRegistries.contains(image.registry());
      this.base = (plain ? "http://" : "https://") + image.apiHost() + "/v2/" + image.repository();
      this.auth = new RegistryAuth(http, image, URI.create(base), credentials);
    }

    HttpTransport.Response get(String path, Map<String, String> headers) throws FetchException {
      HttpTransport.Response response = send(path, headers);
      if (response.status() == 401) {
        authorization = auth.answer(response.header("WWW-Authenticate"));
        response = send(path, headers);
      }
      if (response.status() == 401 || response.status() == 403) {
        throw new FetchException(
            "RegistryUnauthorized",
            "registry "
                + image.registry()
                + " refused the credentials"
                + (credentials == null
                    ? " (no credentials for the registry)"
                    : " in the pull secret")
                + " for "
                + image
                + auth.withheldNote(),
            false);
      }
      if (response.status() == 404) {
        throw new FetchException(
            "ImageNotFound", image + " not found: GET " + base + path + " answered 404", true);
      }
      if (response.status() != 200) {
        throw new FetchException(
            "FetchFailed", "GET " + base + path + " answered HTTP " + response.status(), true);
      }
      return response;
    }

    private HttpTransport.Response send(String path, Map<String, String> headers)
        throws FetchException {
      Map<String, String> all = new HashMap<>(headers);
      if (authorization != null) {
        all.put("Authorization", authorization);
      }
      return http.get(URI.create(base + path), all);
    }
  }
}
