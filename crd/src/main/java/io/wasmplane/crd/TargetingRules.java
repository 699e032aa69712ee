package io.wasmplane.crd;

import static io.wasmplane.crd.SchemaRules.present;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks the spec fields that pick the workloads a plugin applies to: selector and targetRefs. */
final class TargetingRules {
  private static final Pattern KIND = Pattern.compile("^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$");
  private static final Pattern GROUP =
      Pattern.compile("^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final List<String> TARGET_KINDS =
      List.of(
          "/Service",
          "core/Service",
          "networking.istio.io/ServiceEntry",
          "gateway.networking.k8s.io/Gateway",
          "gateway.networking.k8s.io/GatewayClass");

  private TargetingRules() {}

  /**
   * Checks selector and targetRefs. Under {@link Strictness#WASMPLANE} the hidden singular {@code
   * targetRef} counts too, and a reference must be to one of the kinds Istio supports; Istio's CRD
   * ({@link Strictness#ISTIO}) has neither rule.
   */
  static List<Violation> check(JsonNode spec, Strictness strictness) {
    boolean wasmplane = strictness == Strictness.WASMPLANE;
    List<Violation> violations = new ArrayList<>(selector(spec.get("selector")));
    JsonNode targetRef = wasmplane ? spec.get("targetRef") : null;
    int selectors =
        (present(spec.get("selector")) ? 1 : 0)
            + (present(targetRef) ? 1 : 0)
            + (present(spec.get("targetRefs")) ? 1 : 0);
    if (selectors > 1) {
      violations.add(
          new Violation("spec", "Invalid value: only one of targetRefs or selector can be set"));
    }
    if (present(targetRef)) {
      violations.addAll(targetRef(targetRef, "spec.targetRef", wasmplane));
    }
    JsonNode targetRefs = spec.get("targetRefs");
    if (present(targetRefs)) {
      violations.addAll(targetRefs(targetRefs, wasmplane));
    }
    return violations;
  }

  private static List<Violation> selector(JsonNode selector) {
    if (!present(selector)) {
      return List.of();
    }
    if (!selector.isObject()) {
      return List.of(
          new Violation(
              "spec.selector", "Invalid value: spec.selector in body must be of type object"));
    }
    List<Violation> violations =
        new ArrayList<>(
            SchemaRules.unknownFields(selector, "spec.selector", Set.of("matchLabels")));
    JsonNode labels = selector.get("matchLabels");
    if (present(labels)) {
      violations.addAll(matchLabels(labels));
    }
    return violations;
  }

  private static List<Violation> matchLabels(JsonNode labels) {
    if (!labels.isObject()) {
      return List.of(
          new Violation(
              "spec.selector.matchLabels",
              "Invalid value: spec.selector.matchLabels in body must be of type object"));
    }
    List<Violation> violations = new ArrayList<>();
    if (labels.size() > 4096) {
      violations.add(
          new Violation("spec.selector.matchLabels", "Too many: must have at most 4096 items"));
    }
    Iterator<Map.Entry<String, JsonNode>> fields = labels.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> label = fields.next();
      String path = "spec.selector.matchLabels." + label.getKey();
      if (label.getKey().isEmpty()) {
        violations.add(
            new Violation("spec.selector.matchLabels", "Invalid value: key must not be empty"));
      }
      if (label.getKey().contains("*")) {
        violations.add(
            new Violation(
                "spec.selector.matchLabels",
                "Invalid value: wildcard not allowed in label key match"));
      }
      JsonNode value = label.getValue();
      if (!value.isTextual()) {
        violations.add(new Violation(path, "Invalid value: must be of type string"));
        continue;
      }
      if (value.asText().length() > 63) {
        violations.add(new Violation(path, "Too long: may not be more than 63 bytes"));
      }
      if (value.asText().contains("*")) {
        violations.add(
            new Violation(path, "Invalid value: wildcard not allowed in label value match"));
      }
    }
    return violations;
  }

  private static List<Violation> targetRefs(JsonNode targetRefs, boolean kindRule) {
    if (!targetRefs.isArray()) {
      return List.of(
          new Violation(
              "spec.targetRefs", "Invalid value: spec.targetRefs in body must be of type array"));
    }
    List<Violation> violations = new ArrayList<>();
    if (targetRefs.size() > 16) {
      violations.add(
          new Violation(
              "spec.targetRefs",
              "Too many: " + targetRefs.size() + ": must have at most 16 items"));
    }
    for (int i = 0; i < targetRefs.size(); i++) {
      violations.addAll(targetRef(targetRefs.get(i), "spec.targetRefs[" + i + "]", kindRule));
    }
    return violations;
  }

  private static List<Violation> targetRef(JsonNode ref, String path, boolean kindRule) {
    if (!ref.isObject()) {
      return List.of(
          new Violation(path, "Invalid value: " + path + " in body must be of type object"));
    }
    List<Violation> violations =
        new ArrayList<>(
            SchemaRules.unknownFields(ref, path, Set.of("group", "kind", "name", "namespace")));
    JsonNode group = ref.get("group");
    JsonNode kind = ref.get("kind");
    JsonNode name = ref.get("name");
    if (group != null) {
      if (!group.isTextual() || group.asText().length() > 253) {
        violations.add(
            new Violation(
                path + ".group", "Invalid value: must be a string of at most 253 characters"));
      } else if (!GROUP.matcher(group.asText()).matches()) {
        violations.add(
            new Violation(
                path + ".group",
                "Invalid value: \""
                    + group.asText()
                    + "\": "
                    + path
                    + ".group in body should match a DNS subdomain (lowercase, e.g."
                    + " gateway.networking.k8s.io)"));
      }
    }
    if (kind == null) {
      violations.add(new Violation(path + ".kind", "Required value"));
    } else if (!kind.isTextual() || kind.asText().isEmpty() || kind.asText().length() > 63) {
      violations.add(
          new Violation(path + ".kind", "Invalid value: must be a string of 1 to 63 characters"));
    } else if (!KIND.matcher(kind.asText()).matches()) {
      violations.add(
          new Violation(
              path + ".kind",
              "Invalid value: \""
                  + kind.asText()
                  + "\": "
                  + path
                  + ".kind in body should match '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$'"));
    }
    if (name == null) {
      violations.add(new Violation(path + ".name", "Required value"));
    } else {
      violations.addAll(SchemaRules.string(name, path + ".name", 1, 253));
    }
    JsonNode namespace = ref.get("namespace");
    if (namespace != null && !namespace.asText("").isEmpty()) {
      violations.add(
          new Violation(
              path, "Invalid value: cross namespace referencing is not currently supported"));
    }
    if (kindRule && kind != null && kind.isTextual()) {
      String key = (group == null ? "" : group.asText("")) + "/" + kind.asText();
      if (!TARGET_KINDS.contains(key)) {
        violations.add(
            new Violation(
                path,
                "Invalid value: targetRef must be to one of: core/Service,"
                    + " networking.istio.io/ServiceEntry, gateway.networking.k8s.io/Gateway,"
                    + " gateway.networking.k8s.io/GatewayClass"));
      }
    }
    return violations;
  }
}
