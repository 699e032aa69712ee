package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a TrafficExtension the way its CRD, Istio's schema and CEL rules unchanged, does, for
 * config sources that have no apiserver. Returns every problem with its field path.
 */
public final class TrafficExtensionValidator {
  private static final List<String> PHASES = List.of("UNSPECIFIED", "AUTHN", "AUTHZ", "STATS");
  private static final Set<String> SPEC_FIELDS =
      Set.of("lua", "match", "phase", "priority", "selector", "targetRefs", "wasm");

  private TrafficExtensionValidator() {}

  /** Every problem in {@code resource}, a whole TrafficExtension object; empty if it is valid. */
  public static List<Violation> validate(JsonNode resource) {
    List<Violation> violations = new ArrayList<>(MetadataRules.check(resource.path("metadata")));
    violations.addAll(spec(resource.get("spec")));
    return List.copyOf(violations);
  }

  private static List<Violation> spec(JsonNode spec) {
    List<Violation> shape = SchemaRules.specObject(spec, true);
    if (!shape.isEmpty()) {
      return shape;
    }
    return Stream.of(
            SchemaRules.unknownFields(spec, "spec", SPEC_FIELDS),
            exactlyOneFilter(spec),
            FilterRules.wasm(spec.get("wasm")),
            FilterRules.lua(spec.get("lua")),
            SchemaRules.enumField(spec.get("phase"), "spec.phase", PHASES),
            PluginSettingsRules.priority(spec.get("priority")),
            TargetingRules.check(spec, Strictness.ISTIO),
            MatchRules.check(spec.get("match")))
        .flatMap(List::stream)
        .toList();
  }

  /** The schema's oneOf and the CEL rule {@code has(self.wasm) != has(self.lua)}. */
  private static List<Violation> exactlyOneFilter(JsonNode spec) {
    boolean wasm = SchemaRules.present(spec.get("wasm"));
    boolean lua = SchemaRules.present(spec.get("lua"));
    if (wasm != lua) {
      return List.of();
    }
    Violation rule = new Violation("spec", "Invalid value: exactly one of wasm or lua must be set");
    if (!wasm) {
      return List.of(rule);
    }
    return List.of(
        new Violation("spec", "Invalid value: must validate one and only one schema (oneOf)"),
        rule);
  }
}
