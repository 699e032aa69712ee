package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Checks the spec fields that name, order and configure the plugin inside the proxy. */
final class PluginSettingsRules {
  private PluginSettingsRules() {}

  static List<Violation> pluginName(JsonNode name) {
    return SchemaRules.string(name, "spec.pluginName", 1, 256);
  }

  static List<Violation> priority(JsonNode priority) {
    if (priority == null || priority.isNull()) {
      return List.of();
    }
    if (!priority.isIntegralNumber()) {
      return List.of(
          new Violation(
              "spec.priority",
              "Invalid value: \""
                  + SchemaRules.typeName(priority)
                  + "\": spec.priority in body must be of type integer"));
    }
    long value = priority.asLong();
    if (!priority.canConvertToLong() || value > Integer.MAX_VALUE) {
      return List.of(
          new Violation(
              "spec.priority", "Invalid value: should be less than or equal to 2147483647"));
    }
    if (value < Integer.MIN_VALUE) {
      return List.of(
          new Violation(
              "spec.priority", "Invalid value: should be greater than or equal to -2147483648"));
    }
    return List.of();
  }

  static List<Violation> pluginConfig(JsonNode config) {
    if (config != null && !config.isNull() && !config.isObject()) {
      return List.of(
          new Violation(
              "spec.pluginConfig",
              "Invalid value: spec.pluginConfig in body must be of type object"));
    }
    return List.of();
  }
}
