package io.wasmplane.operator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.crd.TrafficExtensionValidator;
import io.wasmplane.crd.Violation;
import io.wasmplane.crd.WasmPluginValidator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of resource that define plugins: Istio's WasmPlugin and its successor TrafficExtension
 * (Wasm or Lua). Both share one ordering in a chain; their ECDS names differ by kind. Each kind
 * knows its validator and parser, so every config source reads a kind the same way.
 */
public enum PluginKind {
  WASM_PLUGIN("WasmPlugin"),
  TRAFFIC_EXTENSION("TrafficExtension");

  private final String kind;

  PluginKind(String kind) {
    this.kind = kind;
  }

  /** The Kubernetes kind, e.g. {@code TrafficExtension}. */
  public String kind() {
    return kind;
  }

  /** The kind in lower case, as ECDS names and messages use it. */
  public String segment() {
    return kind.toLowerCase(Locale.ROOT);
  }

  /** The kind whose Kubernetes name is {@code kind}, if it defines plugins. */
  public static Optional<PluginKind> named(String kind) {
    for (PluginKind each : values()) {
      if (each.kind.equals(kind)) {
        return Optional.of(each);
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code resource} (a whole object of this kind, as JSON) is invalid; empty when valid. A
   * TrafficExtension must pass Istio's rules, and its Lua code must parse ({@link LuaSyntax}).
   */
  public List<Violation> validate(JsonNode resource) {
    if (this == WASM_PLUGIN) {
      return WasmPluginValidator.validate(resource);
    }
    List<Violation> violations = TrafficExtensionValidator.validate(resource);
    JsonNode code = resource.path("spec").path("lua").path("inlineCode");
    if (violations.isEmpty() && code.isTextual()) {
      return LuaSyntax.error(code.asText())
          .map(error -> List.of(new Violation("spec.lua.inlineCode", error)))
          .orElse(List.of());
    }
    return violations;
  }

  /** Parses {@code resource}, which {@link #validate} found valid. */
  public PluginSpec parse(JsonNode resource) {
    return this == WASM_PLUGIN
        ? PluginParser.parse(resource)
        : PluginParser.parseTrafficExtension(resource);
  }

  /** How a resource of this kind is named in messages and problems: {@code Kind namespace/name}. */
  public String describe(String namespace, String name) {
    return kind + " " + namespace + "/" + name;
  }
}
