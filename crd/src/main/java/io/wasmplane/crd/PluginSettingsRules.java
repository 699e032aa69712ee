package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Checks the spec fields that name, order and configure the plugin inside the proxy. */
final class PluginSettingsRules {
  private PluginSettingsRules() {}

  static List<Violation> pluginName(JsonNode name, String path) {
    return SchemaRules.string(name, path, 1, 256);
  }

  /**
   * An integer, as Istio's CRDs require; {@code format: int32} alone sets no bounds at the
   * apiserver.
   */
  static List<Violation> priority(JsonNode priority) {
    if (priority == null || priority.isNull() || priority.isIntegralNumber()) {
      return List.of();
    }
    return List.of(
        new Violation(
            "spec.priority",
            "Invalid value: \""
                + SchemaRules.typeName(priority)
                + "\": spec.priority in body must be of type integer"));
  }

  /** An integer within int32, as Wasmplane's WasmPlugin CRD requires. */
  static List<Violation> int32Priority(JsonNode priority) {
    List<Violation> notInteger = priority(priority);
    if (!notInteger.isEmpty() || priority == null || priority.isNull()) {
      return notInteger;
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

  static List<Violation> pluginConfig(JsonNode config, String path) {
    if (config != null && !config.isNull() && !config.isObject()) {
      return List.of(
          new Violation(path, "Invalid value: " + path + " in body must be of type object"));
    }
    return List.of();
  }
}
