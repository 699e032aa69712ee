package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a WasmPlugin's metadata name and namespace as the apiserver does for any object. */
final class MetadataRules {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  private MetadataRules() {}

  static List<Violation> check(JsonNode metadata) {
    List<Violation> violations = new ArrayList<>();
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      violations.add(new Violation("metadata.name", "Required value: name is required"));
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      violations.add(
          new Violation(
              "metadata.name",
              "Invalid value: \""
                  + name
                  + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
                  + " characters, '-' or '.', and must start and end with an alphanumeric"
                  + " character"));
    }
    JsonNode namespace = metadata.path("namespace");
    if (namespace.isTextual()
        && (namespace.asText().length() > 63 || !DNS_LABEL.matcher(namespace.asText()).matches())) {
      violations.add(
          new Violation(
              "metadata.namespace",
              "Invalid value: \""
                  + namespace.asText()
                  + "\": a lowercase RFC 1123 label must consist of lower case alphanumeric"
                  + " characters or '-', and must start and end with an alphanumeric character"));
    }
    return violations;
  }
}
