package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/** Checks the spec fields that say where the module comes from and how to trust it. */
final class ModuleSourceRules {
  private static final Pattern SHA256 = Pattern.compile("^$|^[a-f0-9]{64}$");

  private ModuleSourceRules() {}

  /** Wasmplane's url rule for a WasmPlugin: at most 2048 characters, see {@link ModuleUrl}. */
  static List<Violation> url(JsonNode url, String path) {
    if (url == null) {
      return List.of(new Violation(path, "Required value"));
    }
    List<Violation> notString = SchemaRules.string(url, path, 1, 2048);
    if (!notString.isEmpty()) {
      return notString;
    }
    String text = url.asText();
    if (!ModuleUrl.isValid(text)) {
      return List.of(
          new Violation(
              path,
              "Invalid value: \""
                  + text
                  + "\": url must have schema one of [http, https, file, oci], or be an image"
                  + " reference such as registry.example:5000/repo:tag"));
    }
    return List.of();
  }

  /** Istio's url rule, the CEL rule of its CRDs as the apiserver evaluates it. */
  static List<Violation> istioUrl(JsonNode url, String path) {
    if (url == null) {
      return List.of(new Violation(path, "Required value"));
    }
    List<Violation> notString = SchemaRules.string(url, path, 1, Integer.MAX_VALUE);
    if (!notString.isEmpty()) {
      return notString;
    }
    if (!CelUrl.passesIstioSchemeRule(url.asText())) {
      return List.of(
          new Violation(
              path,
              "Invalid value: \""
                  + url.asText()
                  + "\": url must have schema one of [http, https, file, oci]"));
    }
    return List.of();
  }

  /** The pattern {@code sha} must match on its own. */
  static List<Violation> sha256(JsonNode sha, String path) {
    if (sha == null) {
      return List.of();
    }
    if (!sha.isTextual()) {
      return List.of(
          new Violation(path, "Invalid value: " + path + " in body must be of type string"));
    }
    if (!SHA256.matcher(sha.asText()).matches()) {
      return List.of(
          new Violation(
              path,
              "Invalid value: \""
                  + sha.asText()
                  + "\": "
                  + path
                  + " in body should match '(^$|^[a-f0-9]{64}$)'"
                  + " (64 lowercase hex characters)"));
    }
    return List.of();
  }

  /** Checks {@code sha} on its own, then against any digest pinned in {@code url}. */
  static List<Violation> sha256MatchingUrl(JsonNode sha, JsonNode url) {
    List<Violation> pattern = sha256(sha, "spec.sha256");
    if (sha == null || !pattern.isEmpty()) {
      return pattern;
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

  static List<Violation> imagePullSecret(JsonNode secret, String path) {
    return SchemaRules.string(secret, path, 1, 253);
  }

  static List<Violation> verificationKey(JsonNode key, String path) {
    return SchemaRules.string(key, path, 0, Integer.MAX_VALUE);
  }
}
