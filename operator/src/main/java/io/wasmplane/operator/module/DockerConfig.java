package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads registry credentials from a pull secret: a {@code kubernetes.io/dockerconfigjson} Secret
 * ({@code {"auths": {...}}}) or a legacy {@code kubernetes.io/dockercfg} one (the map alone). Keys
 * match as Docker matches them: the key exactly, else with its scheme and path stripped, and Docker
 * Hub's {@code https://index.docker.io/v1/} stands for {@code docker.io}.
 */
public final class DockerConfig {
  /** The key {@code docker login} writes for Docker Hub. */
  static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

  private static final Set<String> DOCKER_HUB =
      Set.of("docker.io", "index.docker.io", "registry-1.docker.io");
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerConfig() {}

  /**
   * The credentials in {@code secret} for {@code registry} ({@code host[:port]} as in the image
   * reference), or null when the Secret has no entry for it, or an empty one: the module is then
   * pulled anonymously.
   *
   * @throws FetchException if the Secret is of the wrong type or malformed; the message says how
   */
  public static RegistryCredentials credentials(JsonNode secret, String secretName, String registry)
      throws FetchException {
    String type = secret.path("type").asText("");
    JsonNode auths;
    if (type.equals("kubernetes.io/dockerconfigjson")) {
      auths = parse(secret, secretName, ".dockerconfigjson").path("auths");
      if (!auths.isObject()) {
        throw invalid(secretName, "has no \"auths\" map in .dockerconfigjson");
      }
    } else if (type.equals("kubernetes.io/dockercfg")) {
      auths = parse(secret, secretName, ".dockercfg");
      if (!auths.isObject()) {
        throw invalid(secretName, "has a .dockercfg that is not a map of registries");
      }
    } else {
      throw invalid(
          secretName,
          "has type \""
              + type
              + "\", not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg");
    }
    JsonNode entry = entry(auths, registry);
    return entry == null ? null : decode(entry, secretName, registry);
  }

  /**
   * The entry for {@code registry}: the one whose key is exactly what Docker looks up, else the
   * first whose key names the same host once normalised.
   */
  static JsonNode entry(JsonNode auths, String registry) {
    String wanted = normalize(registry);
    String exact = wanted.equals("docker.io") ? DOCKER_HUB_KEY : registry;
    if (auths.has(exact)) {
      return auths.get(exact);
    }
    Iterator<Map.Entry<String, JsonNode>> entries = auths.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (normalize(entry.getKey()).equals(wanted)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /**
   * A key or registry as a host: scheme and path stripped, lower case, and Docker Hub's names
   * ({@code index.docker.io}, {@code registry-1.docker.io}) as {@code docker.io}.
   */
  static String normalize(String key) {
    String host = key.trim().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
    int slash = host.indexOf('/');
    host = (slash < 0 ? host : host.substring(0, slash)).toLowerCase(Locale.ROOT);
    return DOCKER_HUB.contains(host) ? "docker.io" : host;
  }

  private static JsonNode parse(JsonNode secret, String secretName, String key)
      throws FetchException {
    JsonNode data = secret.path("data").path(key);
    JsonNode stringData = secret.path("stringData").path(key);
    String text;
    try {
      if (data.isTextual()) {
        text = new String(Base64.getDecoder().decode(data.asText().trim()), StandardCharsets.UTF_8);
      } else if (stringData.isTextual()) {
        text = stringData.asText();
      } else {
        throw invalid(secretName, "has no " + key + " key");
      }
    } catch (IllegalArgumentException e) {
      throw invalid(secretName, "has a " + key + " that is not base64");
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw invalid(secretName, "has a " + key + " that is not JSON");
    }
  }

  private static RegistryCredentials decode(JsonNode auth, String secretName, String registry)
      throws FetchException {
    String username = text(auth, "username");
    String password = text(auth, "password");
    String encoded = text(auth, "auth");
    if (encoded != null) {
      String pair;
      try {
        pair = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalid(secretName, "has an auth for " + registry + " that is not base64");
      }
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw invalid(secretName, "has an auth for " + registry + " that is not user:password");
      }
      username = pair.substring(0, colon);
      password = pair.substring(colon + 1);
    }
    RegistryCredentials credentials =
        new RegistryCredentials(
            username, password, text(auth, "identitytoken"), text(auth, "registrytoken"));
    boolean empty =
        !credentials.hasPassword()
            && credentials.identityToken() == null
            && credentials.registryToken() == null;
    return empty ? null : credentials;
  }

  /** The non-empty text of {@code field}, or null. */
  private static String text(JsonNode auth, String field) {
    JsonNode value = auth.path(field);
    return value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
  }

  private static FetchException invalid(String secretName, String what) {
    return new FetchException("PullSecretInvalid", "pull secret " + secretName + " " + what, false);
  }
}
