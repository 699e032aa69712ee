package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/** Checks the spec fields that say where the module comes from and how to trust it. */
final class ModuleSourceRules {
  private static final Pattern SHA256 = Pattern.compile("^$|^[a-f0-9]{64}$");

  private ModuleSourceRules() {}

  static List<Violation> url(JsonNode url) {
    if (url == null) {
      return List.of(new Violation("spec.url", "Required value"));
    }
    if (!url.isTextual()) {
      return List.of(
          new Violation(
              "spec.url",
              "Invalid value: \""
                  + SchemaRules.typeName(url)
                  + "\": spec.url in body must be of type string"));
    }
    String text = url.asText();
    if (text.isEmpty()) {
      return List.of(
          new Violation(
              "spec.url", "Invalid value: \"\": spec.url in body should be at least 1 chars long"));
    }
    if (text.length() > 2048) {
      return List.of(new Violation("spec.url", "Too long: may not be more than 2048 bytes"));
    }
    if (!ModuleUrl.isValid(text)) {
      return List.of(
          new Violation(
              "spec.url",
              "Invalid value: \""
                  + text
                  + "\": url must have schema one of [http, https, file, oci], or be an image"
                  + " reference such as registry.example:5000/repo:tag"));
    }
    return List.of();
  }

  /** Checks {@code sha} on its own, then against any digest pinned in {@code url}. */
  static List<Violation> sha256(JsonNode sha, JsonNode url) {
    if (sha == null) {
      return List.of();
    }
    if (!sha.isTextual()) {
      return List.of(
          new Violation(
              "spec.sha256", "Invalid value: spec.sha256 in body must be of type string"));
    }
    if (!SHA256.matcher(sha.asText()).matches()) {
      return List.of(
          new Violation(
              "spec.sha256",
              "Invalid value: \""
                  + sha.asText()
                  + "\": spec.sha256 in body should match '(^$|^[a-f0-9]{64}$)'"
                  + " (64 lowercase hex characters)"));
    }
    if (url != null && url.isTextual() && !sha.asText().isEmpty()) {
      String u = url.asText();
      int at = u.lastIndexOf("@sha256:");
      if (at >= 0 && !u.substring(at + 8).equals(sha.asText())) {
        return List.of(
            new Violation(
                "spec", "Invalid value: sha256 must equal the digest after @sha256 in the url"));
      }
    }
    return List.of();
  }

  static List<Violation> imagePullSecret(JsonNode secret) {
    return SchemaRules.string(secret, "spec.imagePullSecret", 1, 253);
  }

  static List<Violation> verificationKey(JsonNode key) {
    return SchemaRules.string(key, "spec.verificationKey", 0, Integer.MAX_VALUE);
  }
}
