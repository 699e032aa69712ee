package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The OpenAPI schema checks every spec section shares: types, lengths, enums, unknown fields. */
final class SchemaRules {
  private SchemaRules() {}

  static List<Violation> unknownFields(JsonNode object, String path, Set<String> known) {
    List<Violation> violations = new ArrayList<>();
    object
        .fieldNames()
        .forEachRemaining(
            field -> {
              if (!known.contains(field)) {
                violations.add(
                    new Violation(
                        path + "." + field, "unknown field \"" + path + "." + field + "\""));
              }
            });
    return violations;
  }

  static List<Violation> enumField(JsonNode value, String path, List<String> allowed) {
    if (value == null || value.isNull()) {
      return List.of();
    }
    List<Violation> notString = stringType(value, path);
    if (!notString.isEmpty()) {
      return notString;
    }
    if (!allowed.contains(value.asText())) {
      return List.of(
          new Violation(
              path,
              "Unsupported value: \""
                  + value.asText()
                  + "\": supported values: \""
                  + String.join("\", \"", allowed)
                  + "\""));
    }
    return List.of();
  }

  /** The apiserver's complaint unless {@code value} is a string; empty if it is. */
  static List<Violation> stringType(JsonNode value, String path) {
    if (!value.isTextual()) {
      return List.of(
          new Violation(
              path,
              "Invalid value: \""
                  + typeName(value)
                  + "\": "
                  + path
                  + " in body must be of type string"));
    }
    return List.of();
  }

  /**
   * A string field's type and length problems; empty if it is absent or a string within bounds.
   * Lengths count characters (code points), as the apiserver does.
   */
  static List<Violation> string(JsonNode value, String path, int min, int max) {
    if (value == null) {
      return List.of();
    }
    List<Violation> notString = stringType(value, path);
    if (!notString.isEmpty()) {
      return notString;
    }
    String text = value.asText();
    int length = text.codePointCount(0, text.length());
    if (length < min) {
      return List.of(
          new Violation(
              path,
              "Invalid value: \"\": "
                  + path
                  + " in body should be at least "
                  + min
                  + " chars long"));
    }
    if (length > max) {
      return List.of(new Violation(path, "Too long: may not be more than " + max + " bytes"));
    }
    return List.of();
  }

  static boolean present(JsonNode node) {
    return node != null && !node.isNull();
  }

  /**
   * Why {@code spec} is not an object the rest of the rules can read: it is missing (or, with
   * {@code nullIsMissing}, null) or not an object; empty when it is one.
   */
  static List<Violation> specObject(JsonNode spec, boolean nullIsMissing) {
    if (spec == null || spec.isMissingNode() || (nullIsMissing && spec.isNull())) {
      return List.of(new Violation("spec", "Required value"));
    }
    if (!spec.isObject()) {
      return List.of(
          new Violation(
              "spec",
              "Invalid value: \"" + typeName(spec) + "\": spec in body must be of type object"));
    }
    return List.of();
  }

  static String typeName(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isIntegralNumber()) {
      return "integer";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return node.isArray() ? "array" : "object";
  }
}
