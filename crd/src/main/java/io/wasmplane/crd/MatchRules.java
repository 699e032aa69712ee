package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks spec.match, the traffic modes and ports a plugin applies to. */
final class MatchRules {
  private static final List<String> MODES =
      List.of("UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER");

  private MatchRules() {}

  static List<Violation> check(JsonNode match) {
    if (!SchemaRules.present(match)) {
      return List.of();
    }
    if (!match.isArray()) {
      return List.of(
          new Violation("spec.match", "Invalid value: spec.match in body must be of type array"));
    }
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < match.size(); i++) {
      violations.addAll(trafficSelector(match.get(i), "spec.match[" + i + "]"));
    }
    return violations;
  }

  private static List<Violation> trafficSelector(JsonNode selector, String path) {
    if (!selector.isObject()) {
      return List.of(
          new Violation(path, "Invalid value: " + path + " in body must be of type object"));
    }
    List<Violation> violations =
        new ArrayList<>(SchemaRules.unknownFields(selector, path, Set.of("mode", "ports")));
    violations.addAll(SchemaRules.enumField(selector.get("mode"), path + ".mode", MODES));
    JsonNode ports = selector.get("ports");
    if (SchemaRules.present(ports)) {
      violations.addAll(ports(ports, path + ".ports"));
    }
    return violations;
  }

  private static List<Violation> ports(JsonNode ports, String path) {
    if (!ports.isArray()) {
      return List.of(new Violation(path, "Invalid value: must be of type array"));
    }
    List<Violation> violations = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (int j = 0; j < ports.size(); j++) {
      String portPath = path + "[" + j + "]";
      JsonNode port = ports.get(j);
      if (!port.isObject()) {
        violations.add(new Violation(portPath, "Invalid value: must be of type object"));
        continue;
      }
      violations.addAll(SchemaRules.unknownFields(port, portPath, Set.of("number")));
      JsonNode number = port.get("number");
      if (number == null) {
        violations.add(new Violation(portPath + ".number", "Required value"));
      } else if (!number.isIntegralNumber()) {
        violations.add(
            new Violation(
                portPath + ".number",
                "Invalid value: \""
                    + SchemaRules.typeName(number)
                    + "\": must be of type integer"));
      } else if (number.asLong() < 1) {
        violations.add(
            new Violation(
                portPath + ".number",
                "Invalid value: " + number.asLong() + ": should be greater than or equal to 1"));
      } else if (number.asLong() > 65535) {
        violations.add(
            new Violation(
                portPath + ".number",
                "Invalid value: " + number.asLong() + ": should be less than or equal to 65535"));
      } else if (!seen.add(number.asLong())) {
        violations.add(
            new Violation(
                portPath,
                "Duplicate value: map[string]interface {}{\"number\":" + number.asLong() + "}"));
      }
    }
    return violations;
  }
}
