package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a WasmPlugin the way the CRD's schema and CEL rules do, for config sources that have no
 * apiserver. Returns every problem with its field path, not only the first.
 */
public final class WasmPluginValidator {
  /** The enum fields, in a fixed order so that violations come out the same on every run. */
  private static final Map<String, List<String>> ENUMS =
      new java.util.TreeMap<>(
          Map.of(
              "failStrategy", List.of("FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"),
              "imagePullPolicy", List.of("UNSPECIFIED_POLICY", "IfNotPresent", "Always"),
              "phase", List.of("UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"),
              "type", List.of("UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK")));

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

  private WasmPluginValidator() {}

  /** Every problem in {@code resource}, a whole WasmPlugin object; empty if it is valid. */
  public static List<Violation> validate(JsonNode resource) {
    List<Violation> violations = new ArrayList<>(MetadataRules.check(resource.path("metadata")));
    violations.addAll(spec(resource.get("spec")));
    return List.copyOf(violations);
  }

  private static List<Violation> spec(JsonNode spec) {
    List<Violation> shape = SchemaRules.specObject(spec, false);
    if (!shape.isEmpty()) {
      return shape;
    }
    return Stream.of(
            SchemaRules.unknownFields(spec, "spec", SPEC_FIELDS),
            ModuleSourceRules.url(spec.get("url"), "spec.url"),
            ModuleSourceRules.sha256MatchingUrl(spec.get("sha256"), spec.get("url")),
            enums(spec),
            ModuleSourceRules.imagePullSecret(spec.get("imagePullSecret"), "spec.imagePullSecret"),
            PluginSettingsRules.pluginName(spec.get("pluginName"), "spec.pluginName"),
            ModuleSourceRules.verificationKey(spec.get("verificationKey"), "spec.verificationKey"),
            PluginSettingsRules.int32Priority(spec.get("priority")),
            PluginSettingsRules.pluginConfig(spec.get("pluginConfig"), "spec.pluginConfig"),
            TargetingRules.check(spec, Strictness.WASMPLANE),
            MatchRules.check(spec.get("match")),
            VmConfigRules.check(spec.get("vmConfig"), "spec.vmConfig", Strictness.WASMPLANE))
        .flatMap(List::stream)
        .toList();
  }

  /** Checks the enum fields in {@link Map#of} order, which is fixed within a JVM, not across. */
  private static List<Violation> enums(JsonNode spec) {
    List<Violation> violations = new ArrayList<>();
    ENUMS.forEach(
        (field, values) ->
            violations.addAll(SchemaRules.enumField(spec.get(field), "spec." + field, values)));
    return violations;
  }
}
