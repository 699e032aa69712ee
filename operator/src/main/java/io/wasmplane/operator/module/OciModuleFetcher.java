package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wasmplane.crd.ImageReference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls a Wasm module from a Docker v2 or OCI registry: a layer of type {@code
 * application/vnd.module.wasm.content.layer.v1+wasm}, or an image whose last layer is a tar.gz
 * holding {@code plugin.wasm}. Authenticates with basic auth or the bearer-token flow; the pull
 * secret's credentials go only to the registry's host and to token services on it or over https.
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
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(OciModuleFetcher.class);

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
    private String authorization;

    /** A token service the credentials were kept from, if any. */
    private String withheldFrom;

    Session(ImageReference image, RegistryCredentials credentials) {
      this.image = image;
      this.credentials = credentials;
      boolean plain = image.isLoopback() || insecureRegistries.contains(image.registry());
      this.base = (plain ? "http://" : "https://") + image.apiHost() + "/v2/" + image.repository();
    }

    HttpTransport.Response get(String path, Map<String, String> headers) throws FetchException {
      HttpTransport.Response response = send(path, headers);
      if (response.status() == 401) {
        authorization = authenticate(response.header("WWW-Authenticate"));
        response = send(path, headers);
      }
      if (response.status() == 401 || response.status() == 403) {
        throw new FetchException(
            "RegistryUnauthorized",
            "registry "
                + image.registry()
                + " refused the credentials"
                + (credentials == null ? " (no imagePullSecret given)" : " in the pull secret")
                + " for "
                + image
                + withheldNote(),
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

    private String withheldNote() {
      return withheldFrom == null
          ? ""
          : " (the credentials were not sent to token service "
              + withheldFrom
              + ": plain http on another host than the registry)";
    }

    private HttpTransport.Response send(String path, Map<String, String> headers)
        throws FetchException {
      Map<String, String> all = new HashMap<>(headers);
      if (authorization != null) {
        all.put("Authorization", authorization);
      }
      return http.get(URI.create(base + path), all);
    }

    private String authenticate(String challenge) throws FetchException {
      if (credentials == null
          && (challenge == null || challenge.regionMatches(true, 0, "Basic", 0, 5))) {
        throw new FetchException(
            "RegistryUnauthorized",
            "registry "
                + image.registry()
                + " requires credentials for "
                + image
                + "; set imagePullSecret",
            false);
      }
      String basic =
          credentials == null
              ? null
              : "Basic "
                  + Base64.getEncoder()
                      .encodeToString(
                          (credentials.username() + ":" + credentials.password())
                              .getBytes(StandardCharsets.UTF_8));
      if (challenge == null || challenge.regionMatches(true, 0, "Basic", 0, 5)) {
        return basic;
      }
      if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
        throw new FetchException(
            "RegistryUnauthorized",
            "registry " + image.registry() + " asks for unsupported auth: " + challenge,
            false);
      }
      Map<String, String> params = new HashMap<>();
      Matcher m = PARAM.matcher(challenge);
      while (m.find()) {
        params.put(m.group(1), m.group(2));
      }
      String realm = params.get("realm");
      if (realm == null) {
        throw new FetchException(
            "RegistryUnauthorized", "bearer challenge without realm: " + challenge, false);
      }
      StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
      if (params.containsKey("service")) {
        url.append("service=")
            .append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8))
            .append('&');
      }
      url.append("scope=")
          .append(
              URLEncoder.encode(
                  params.getOrDefault("scope", "repository:" + image.repository() + ":pull"),
                  StandardCharsets.UTF_8));
      URI tokenUri;
      try {
        tokenUri = URI.create(url.toString());
      } catch (IllegalArgumentException e) {
        throw new FetchException(
            "RegistryUnauthorized", "bearer challenge with an invalid realm: " + realm, false);
      }
      Map<String, String> headers = Map.of();
      if (basic != null && mayReceiveCredentials(tokenUri, URI.create(base))) {
        headers = Map.of("Authorization", basic);
      } else if (basic != null) {
        withheldFrom = realm;
        LOG.warn(
            "asking token service {} for a token for {} anonymously: it is plain http on another"
                + " host than the registry, so the pull secret's credentials are not sent to it",
            realm,
            image);
      }
      HttpTransport.Response token = http.get(tokenUri, headers);
      if (token.status() != 200) {
        throw new FetchException(
            "RegistryUnauthorized",
            "token service "
                + realm
                + " answered HTTP "
                + token.status()
                + " for "
                + image
                + withheldNote(),
            token.status() >= 500);
      }
      JsonNode body = parseJson(token.body(), "token response");
      String value = body.path("token").asText(body.path("access_token").asText(""));
      if (value.isEmpty()) {
        throw new FetchException(
            "RegistryUnauthorized", "token service " + realm + " returned no token", false);
      }
      return "Bearer " + value;
    }
  }
}
