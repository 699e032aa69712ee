package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a WasmPlugin the way the CRD's schema and CEL rules do, for config sources that have no
 * apiserver. Returns every problem with its field path, not only the first.
 */
public final class WasmPluginValidator {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern SHA256 = Pattern.compile("^$|^[a-f0-9]{64}$");
  private static final Pattern C_IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
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
  private static final Map<String, List<String>> ENUMS =
      Map.of(
          "failStrategy", List.of("FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"),
          "imagePullPolicy", List.of("UNSPECIFIED_POLICY", "IfNotPresent", "Always"),
          "phase", List.of("UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"),
          "type", List.of("UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK"));
  private static final Set<String> SPEC_FIELDS =
      Set.of(
          "failStrategy",
          "imagePullPolicy",
          "imagePullSecret",
          "match",
          "phase",
          "pluginConfig",
          "pluginName",
          "priority",
          "selector",
          "sha256",
          "targetRef",
          "targetRefs",
          "type",
          "url",
          "verificationKey",
          "vmConfig");

  private final List<Violation> violations = new ArrayList<>();

  private WasmPluginValidator() {}

  /** Every problem in {@code resource}, a whole WasmPlugin object; empty if it is valid. */
  public static List<Violation> validate(JsonNode resource) {
    WasmPluginValidator validator = new WasmPluginValidator();
    validator.checkResource(resource);
    return List.copyOf(validator.violations);
  }

  private void fail(String field, String message) {
    violations.add(new Violation(field, message));
  }

  private void checkResource(JsonNode resource) {
    JsonNode metadata = resource.path("metadata");
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      fail("metadata.name", "Required value: name is required");
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      fail(
          "metadata.name",
          "Invalid value: \""
              + name
              + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
              + " characters, '-' or '.', and must start and end with an alphanumeric character");
    }
    JsonNode namespace = metadata.path("namespace");
    if (namespace.isTextual()
        && (namespace.asText().length() > 63 || !DNS_LABEL.matcher(namespace.asText()).matches())) {
      fail(
          "metadata.namespace",
          "Invalid value: \""
              + namespace.asText()
              + "\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters"
              + " or '-', and must start and end with an alphanumeric character");
    }
    JsonNode spec = resource.get("spec");
    if (spec == null || spec.isMissingNode()) {
      fail("spec", "Required value");
      return;
    }
    if (!spec.isObject()) {
      fail(
          "spec", "Invalid value: \"" + typeName(spec) + "\": spec in body must be of type object");
      return;
    }
    checkSpec(spec);
  }

  private void checkSpec(JsonNode spec) {
    unknownFields(spec, "spec", SPEC_FIELDS);
    checkUrl(spec);
    checkSha256(spec);
    ENUMS.forEach((field, values) -> enumField(spec.get(field), "spec." + field, values));
    string(spec.get("imagePullSecret"), "spec.imagePullSecret", 1, 253);
    string(spec.get("pluginName"), "spec.pluginName", 1, 256);
    string(spec.get("verificationKey"), "spec.verificationKey", 0, Integer.MAX_VALUE);
    checkPriority(spec.get("priority"));
    JsonNode config = spec.get("pluginConfig");
    if (config != null && !config.isNull() && !config.isObject()) {
      fail("spec.pluginConfig", "Invalid value: spec.pluginConfig in body must be of type object");
    }
    checkSelector(spec.get("selector"));
    int selectors =
        (present(spec.get("selector")) ? 1 : 0)
            + (present(spec.get("targetRef")) ? 1 : 0)
            + (present(spec.get("targetRefs")) ? 1 : 0);
    if (selectors > 1) {
      fail("spec", "Invalid value: only one of targetRefs or selector can be set");
    }
    JsonNode targetRef = spec.get("targetRef");
    if (present(targetRef)) {
      checkTargetRef(targetRef, "spec.targetRef");
    }
    JsonNode targetRefs = spec.get("targetRefs");
    if (present(targetRefs)) {
      if (!targetRefs.isArray()) {
        fail("spec.targetRefs", "Invalid value: spec.targetRefs in body must be of type array");
      } else {
        if (targetRefs.size() > 16) {
          fail(
              "spec.targetRefs", "Too many: " + targetRefs.size() + ": must have at most 16 items");
        }
        for (int i = 0; i < targetRefs.size(); i++) {
          checkTargetRef(targetRefs.get(i), "spec.targetRefs[" + i + "]");
        }
      }
    }
    checkMatch(spec.get("match"));
    checkVmConfig(spec.get("vmConfig"));
  }

  private void checkUrl(JsonNode spec) {
    JsonNode url = spec.get("url");
    if (url == null) {
      fail("spec.url", "Required value");
      return;
    }
    if (!url.isTextual()) {
      fail(
          "spec.url",
          "Invalid value: \"" + typeName(url) + "\": spec.url in body must be of type string");
      return;
    }
    String text = url.asText();
    if (text.isEmpty()) {
      fail("spec.url", "Invalid value: \"\": spec.url in body should be at least 1 chars long");
      return;
    }
    if (text.length() > 2048) {
      fail("spec.url", "Too long: may not be more than 2048 bytes");
      return;
    }
    if (!ModuleUrl.isValid(text)) {
      fail(
          "spec.url",
          "Invalid value: \""
              + text
              + "\": url must have schema one of [http, https, file, oci], or be an image"
              + " reference such as registry.example:5000/repo:tag");
    }
  }

  private void checkSha256(JsonNode spec) {
    JsonNode sha = spec.get("sha256");
    if (sha == null) {
      return;
    }
    if (!sha.isTextual()) {
      fail("spec.sha256", "Invalid value: spec.sha256 in body must be of type string");
      return;
    }
    if (!SHA256.matcher(sha.asText()).matches()) {
      fail(
          "spec.sha256",
          "Invalid value: \""
              + sha.asText()
              + "\": spec.sha256 in body should match '(^$|^[a-f0-9]{64}$)'"
              + " (64 lowercase hex characters)");
      return;
    }
    JsonNode url = spec.get("url");
    if (url != null && url.isTextual() && !sha.asText().isEmpty()) {
      String u = url.asText();
      int at = u.lastIndexOf("@sha256:");
      if (at >= 0 && !u.substring(at + 8).equals(sha.asText())) {
        fail("spec", "Invalid value: sha256 must equal the digest after @sha256 in the url");
      }
    }
  }

  private void checkPriority(JsonNode priority) {
    if (priority == null || priority.isNull()) {
      return;
    }
    if (!priority.isIntegralNumber()) {
      fail(
          "spec.priority",
          "Invalid value: \""
              + typeName(priority)
              + "\": spec.priority in body must be of type integer");
      return;
    }
    long value = priority.asLong();
    if (!priority.canConvertToLong() || value > Integer.MAX_VALUE) {
      fail("spec.priority", "Invalid value: should be less than or equal to 2147483647");
    } else if (value < Integer.MIN_VALUE) {
      fail("spec.priority", "Invalid value: should be greater than or equal to -2147483648");
    }
  }

  private void checkSelector(JsonNode selector) {
    if (!present(selector)) {
      return;
    }
    if (!selector.isObject()) {
      fail("spec.selector", "Invalid value: spec.selector in body must be of type object");
      return;
    }
    unknownFields(selector, "spec.selector", Set.of("matchLabels"));
    JsonNode labels = selector.get("matchLabels");
    if (!present(labels)) {
      return;
    }
    if (!labels.isObject()) {
      fail(
          "spec.selector.matchLabels",
          "Invalid value: spec.selector.matchLabels in body must be of type object");
      return;
    }
    if (labels.size() > 4096) {
      fail("spec.selector.matchLabels", "Too many: must have at most 4096 items");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = labels.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> label = fields.next();
      String path = "spec.selector.matchLabels." + label.getKey();
      if (label.getKey().isEmpty()) {
        fail("spec.selector.matchLabels", "Invalid value: key must not be empty");
      }
      if (label.getKey().contains("*")) {
        fail("spec.selector.matchLabels", "Invalid value: wildcard not allowed in label key match");
      }
      JsonNode value = label.getValue();
      if (!value.isTextual()) {
        fail(path, "Invalid value: must be of type string");
        continue;
      }
      if (value.asText().length() > 63) {
        fail(path, "Too long: may not be more than 63 bytes");
      }
      if (value.asText().contains("*")) {
        fail(path, "Invalid value: wildcard not allowed in label value match");
      }
    }
  }

  private void checkTargetRef(JsonNode ref, String path) {
    if (!ref.isObject()) {
      fail(path, "Invalid value: " + path + " in body must be of type object");
      return;
    }
    unknownFields(ref, path, Set.of("group", "kind", "name", "namespace"));
    JsonNode group = ref.get("group");
    JsonNode kind = ref.get("kind");
    JsonNode name = ref.get("name");
    if (group != null) {
      if (!group.isTextual() || group.asText().length() > 253) {
        fail(path + ".group", "Invalid value: must be a string of at most 253 characters");
      } else if (!GROUP.matcher(group.asText()).matches()) {
        fail(
            path + ".group",
            "Invalid value: \""
                + group.asText()
                + "\": "
                + path
                + ".group in body should match a DNS subdomain (lowercase, e.g."
                + " gateway.networking.k8s.io)");
      }
    }
    if (kind == null) {
      fail(path + ".kind", "Required value");
    } else if (!kind.isTextual() || kind.asText().isEmpty() || kind.asText().length() > 63) {
      fail(path + ".kind", "Invalid value: must be a string of 1 to 63 characters");
    } else if (!KIND.matcher(kind.asText()).matches()) {
      fail(
          path + ".kind",
          "Invalid value: \""
              + kind.asText()
              + "\": "
              + path
              + ".kind in body should match '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$'");
    }
    if (name == null) {
      fail(path + ".name", "Required value");
    } else {
      string(name, path + ".name", 1, 253);
    }
    JsonNode namespace = ref.get("namespace");
    if (namespace != null && !namespace.asText("").isEmpty()) {
      fail(path, "Invalid value: cross namespace referencing is not currently supported");
    }
    if (kind != null && kind.isTextual()) {
      String key = (group == null ? "" : group.asText("")) + "/" + kind.asText();
      if (!TARGET_KINDS.contains(key)) {
        fail(
            path,
            "Invalid value: targetRef must be to one of: core/Service,"
                + " networking.istio.io/ServiceEntry, gateway.networking.k8s.io/Gateway,"
                + " gateway.networking.k8s.io/GatewayClass");
      }
    }
  }

  private void checkMatch(JsonNode match) {
    if (!present(match)) {
      return;
    }
    if (!match.isArray()) {
      fail("spec.match", "Invalid value: spec.match in body must be of type array");
      return;
    }
    for (int i = 0; i < match.size(); i++) {
      String path = "spec.match[" + i + "]";
      JsonNode selector = match.get(i);
      if (!selector.isObject()) {
        fail(path, "Invalid value: " + path + " in body must be of type object");
        continue;
      }
      unknownFields(selector, path, Set.of("mode", "ports"));
      enumField(
          selector.get("mode"),
          path + ".mode",
          List.of("UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER"));
      JsonNode ports = selector.get("ports");
      if (!present(ports)) {
        continue;
      }
      if (!ports.isArray()) {
        fail(path + ".ports", "Invalid value: must be of type array");
        continue;
      }
      Set<Long> seen = new HashSet<>();
      for (int j = 0; j < ports.size(); j++) {
        String portPath = path + ".ports[" + j + "]";
        JsonNode port = ports.get(j);
        if (!port.isObject()) {
          fail(portPath, "Invalid value: must be of type object");
          continue;
        }
        unknownFields(port, portPath, Set.of("number"));
        JsonNode number = port.get("number");
        if (number == null) {
          fail(portPath + ".number", "Required value");
        } else if (!number.isIntegralNumber()) {
          fail(
              portPath + ".number",
              "Invalid value: \"" + typeName(number) + "\": must be of type integer");
        } else if (number.asLong() < 1) {
          fail(
              portPath + ".number",
              "Invalid value: " + number.asLong() + ": should be greater than or equal to 1");
        } else if (number.asLong() > 65535) {
          fail(
              portPath + ".number",
              "Invalid value: " + number.asLong() + ": should be less than or equal to 65535");
        } else if (!seen.add(number.asLong())) {
          fail(
              portPath,
              "Duplicate value: map[string]interface {}{\"number\":" + number.asLong() + "}");
        }
      }
    }
  }

  private void checkVmConfig(JsonNode vmConfig) {
    if (!present(vmConfig)) {
      return;
    }
    if (!vmConfig.isObject()) {
      fail("spec.vmConfig", "Invalid value: spec.vmConfig in body must be of type object");
      return;
    }
    unknownFields(vmConfig, "spec.vmConfig", Set.of("env"));
    JsonNode env = vmConfig.get("env");
    if (!present(env)) {
      return;
    }
    if (!env.isArray()) {
      fail("spec.vmConfig.env", "Invalid value: must be of type array");
      return;
    }
    if (env.size() > 256) {
      fail("spec.vmConfig.env", "Too many: " + env.size() + ": must have at most 256 items");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < env.size(); i++) {
      String path = "spec.vmConfig.env[" + i + "]";
      JsonNode variable = env.get(i);
      if (!variable.isObject()) {
        fail(path, "Invalid value: must be of type object");
        continue;
      }
      unknownFields(variable, path, Set.of("name", "value", "valueFrom"));
      JsonNode name = variable.get("name");
      if (name == null) {
        fail(path + ".name", "Required value");
      } else if (string(name, path + ".name", 1, 256)) {
        if (!C_IDENTIFIER.matcher(name.asText()).matches()) {
          fail(
              path + ".name",
              "Invalid value: \""
                  + name.asText()
                  + "\": "
                  + path
                  + ".name in body should match '^[A-Za-z_][A-Za-z0-9_]*$' (a C identifier)");
        }
        if (!names.add(name.asText())) {
          fail(
              path, "Duplicate value: map[string]interface {}{\"name\":\"" + name.asText() + "\"}");
        }
      }
      string(variable.get("value"), path + ".value", 0, 2048);
      JsonNode valueFrom = variable.get("valueFrom");
      enumField(valueFrom, path + ".valueFrom", List.of("INLINE", "HOST"));
      if (valueFrom != null && "HOST".equals(valueFrom.asText()) && variable.has("value")) {
        fail(path, "Invalid value: value may only be set when valueFrom is INLINE");
      }
    }
  }

  private void unknownFields(JsonNode object, String path, Set<String> known) {
    object
        .fieldNames()
        .forEachRemaining(
            field -> {
              if (!known.contains(field)) {
                fail(path + "." + field, "unknown field \"" + path + "." + field + "\"");
              }
            });
  }

  private void enumField(JsonNode value, String path, List<String> allowed) {
    if (value == null || value.isNull()) {
      return;
    }
    if (!isString(value, path)) {
      return;
    }
    if (!allowed.contains(value.asText())) {
      fail(
          path,
          "Unsupported value: \""
              + value.asText()
              + "\": supported values: \""
              + String.join("\", \"", allowed)
              + "\"");
    }
  }

  /** Fails unless {@code value} is a string, with the apiserver's message; true if it is. */
  private boolean isString(JsonNode value, String path) {
    if (!value.isTextual()) {
      fail(
          path,
          "Invalid value: \""
              + typeName(value)
              + "\": "
              + path
              + " in body must be of type string");
      return false;
    }
    return true;
  }

  /** Checks a string field's type and length; true if it is a string within bounds. */
  private boolean string(JsonNode value, String path, int min, int max) {
    if (value == null) {
      return false;
    }
    if (!isString(value, path)) {
      return false;
    }
    int length = value.asText().length();
    if (length < min) {
      fail(
          path,
          "Invalid value: \"\": " + path + " in body should be at least " + min + " chars long");
      return false;
    }
    if (length > max) {
      fail(path, "Too long: may not be more than " + max + " bytes");
      return false;
    }
    return true;
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull();
  }

  private static String typeName(JsonNode node) {
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
