package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/** Reads registry credentials from a {@code kubernetes.io/dockerconfigjson} Secret. */
public final class DockerConfig {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DockerConfig() {}

  /**
   * The credentials in {@code secret} for {@code registry} ({@code host[:port]}).
   *
   * @throws FetchException if the Secret is of the wrong type or malformed, or names no such
   *     registry; the message says which
   */
  public static RegistryCredentials credentials(JsonNode secret, String secretName, String registry)
      throws FetchException {
    String type = secret.path("type").asText("");
    if (!type.equals("kubernetes.io/dockerconfigjson")) {
      throw invalid(secretName, "has type \"" + type + "\", not kubernetes.io/dockerconfigjson");
    }
    String text;
    JsonNode data = secret.path("data").path(".dockerconfigjson");
    JsonNode stringData = secret.path("stringData").path(".dockerconfigjson");
    try {
      if (data.isTextual()) {
        text = new String(Base64.getDecoder().decode(data.asText().trim()), StandardCharsets.UTF_8);
      } else if (stringData.isTextual()) {
        text = stringData.asText();
      } else {
        throw invalid(secretName, "has no .dockerconfigjson key");
      }
    } catch (IllegalArgumentException e) {
      throw invalid(secretName, "has a .dockerconfigjson that is not base64");
    }
    JsonNode auths;
    try {
      auths = JSON.readTree(text).path("auths");
    } catch (IOException e) {
      throw invalid(secretName, "has a .dockerconfigjson that is not JSON");
    }
    if (!auths.isObject()) {
      throw invalid(secretName, "has no \"auths\" map in .dockerconfigjson");
    }
    Iterator<Map.Entry<String, JsonNode>> entries = auths.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (normalize(entry.getKey()).equals(normalize(registry))) {
        return decode(entry.getValue(), secretName, registry);
      }
    }
    throw new FetchException(
        "PullSecretInvalid",
        "pull secret " + secretName + " has no credentials for registry " + registry,
        false);
  }

  private static RegistryCredentials decode(JsonNode auth, String secretName, String registry)
      throws FetchException {
    if (auth.path("username").isTextual() && auth.path("password").isTextual()) {
      return new RegistryCredentials(
          auth.path("username").asText(), auth.path("password").asText());
    }
    if (auth.path("auth").isTextual()) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(auth.path("auth").asText()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon > 0) {
          return new RegistryCredentials(pair.substring(0, colon), pair.substring(colon + 1));
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    throw invalid(secretName, "has no usable username/password or auth for " + registry);
  }

  /** Strips a scheme and path, so {@code https://r.example/v1/} and {@code r.example} match. */
  static String normalize(String registry) {
    String host = registry.replaceFirst("^[a-zA-Z]+://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }

  private static FetchException invalid(String secretName, String what) {
    return new FetchException("PullSecretInvalid", "pull secret " + secretName + " " + what, false);
  }
}
