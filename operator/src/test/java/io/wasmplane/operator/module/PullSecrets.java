package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Pull Secrets as the apiserver returns them, for tests of how they are read. */
final class PullSecrets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PullSecrets() {}

  /**
   * A Secret of {@code type} whose {@code data} holds {@code config}, base64-encoded, at {@code
   * key}.
   */
  static JsonNode secret(String type, String key, String config) {
    return JSON.createObjectNode()
        .put("type", type)
        .set(
            "data",
            JSON.createObjectNode()
                .put(
                    key,
                    Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8))));
  }

  /** A dockerconfigjson Secret as written, with {@code config} under {@code stringData}. */
  static JsonNode dockerConfigJson(String config) {
    return JSON.createObjectNode()
        .put("type", "kubernetes.io/dockerconfigjson")
        .set("stringData", JSON.createObjectNode().put(".dockerconfigjson", config));
  }
}
