package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a vmConfig, the environment variables handed to the plugin's VM. */
final class VmConfigRules {
  private static final Pattern C_IDENTIFIER = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

  private VmConfigRules() {}

  /**
   * Checks the vmConfig at {@code path}; under {@link Strictness#WASMPLANE} env names must also be
   * C identifiers.
   */
  static List<Violation> check(JsonNode vmConfig, String path, Strictness strictness) {
    if (!SchemaRules.present(vmConfig)) {
      return List.of();
    }
    if (!vmConfig.isObject()) {
      return List.of(
          new Violation(path, "Invalid value: " + path + " in body must be of type object"));
    }
    List<Violation> violations =
        new ArrayList<>(SchemaRules.unknownFields(vmConfig, path, Set.of("env")));
    JsonNode env = vmConfig.get("env");
    if (SchemaRules.present(env)) {
      violations.addAll(env(env, path + ".env", strictness));
    }
    return violations;
  }

  private static List<Violation> env(JsonNode env, String envPath, Strictness strictness) {
    if (!env.isArray()) {
      return List.of(new Violation(envPath, "Invalid value: must be of type array"));
    }
    List<Violation> violations = new ArrayList<>();
    if (env.size() > 256) {
      violations.add(
          new Violation(envPath, "Too many: " + env.size() + ": must have at most 256 items"));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < env.size(); i++) {
      String path = envPath + "[" + i + "]";
      JsonNode variable = env.get(i);
      if (!variable.isObject()) {
        violations.add(new Violation(path, "Invalid value: must be of type object"));
        continue;
      }
      violations.addAll(
          SchemaRules.unknownFields(variable, path, Set.of("name", "value", "valueFrom")));
      JsonNode name = variable.get("name");
      if (name == null) {
        violations.add(new Violation(path + ".name", "Required value"));
      } else {
        List<Violation> nameProblems = SchemaRules.string(name, path + ".name", 1, 256);
        violations.addAll(nameProblems);
        if (nameProblems.isEmpty()) {
          if (strictness == Strictness.WASMPLANE
              && !C_IDENTIFIER.matcher(name.asText()).matches()) {
            violations.add(
                new Violation(
                    path + ".name",
                    "Invalid value: \""
                        + name.asText()
                        + "\": "
                        + path
                        + ".name in body should match '^[A-Za-z_][A-Za-z0-9_]*$' (a C"
                        + " identifier)"));
          }
          if (!names.add(name.asText())) {
            violations.add(
                new Violation(
                    path,
                    "Duplicate value: map[string]interface {}{\"name\":\""
                        + name.asText()
                        + "\"}"));
          }
        }
      }
      violations.addAll(SchemaRules.string(variable.get("value"), path + ".value", 0, 2048));
      JsonNode valueFrom = variable.get("valueFrom");
      violations.addAll(
          SchemaRules.enumField(valueFrom, path + ".valueFrom", List.of("INLINE", "HOST")));
      if (valueFrom != null && "HOST".equals(valueFrom.asText()) && variable.has("value")) {
        violations.add(
            new Violation(path, "Invalid value: value may only be set when valueFrom is INLINE"));
      }
    }
    return violations;
  }
}
