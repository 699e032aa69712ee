package io.wasmplane.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Checks a TrafficExtension's filter: its {@code wasm} block or its {@code lua} block. */
final class FilterRules {
  /** Lua source may be at most 64 KiB, as Istio's schema says. */
  static final int MAX_LUA_CODE = 65536;

  private static final Map<String, List<String>> WASM_ENUMS =
      new TreeMap<>(
          Map.of(
              "failStrategy", List.of("FAIL_CLOSE", "FAIL_OPEN", "FAIL_RELOAD"),
              "imagePullPolicy", List.of("UNSPECIFIED_POLICY", "IfNotPresent", "Always"),
              "type", List.of("UNSPECIFIED_PLUGIN_TYPE", "HTTP", "NETWORK")));
  private static final Set<String> WASM_FIELDS =
      Set.of(
          "failStrategy",
          "imagePullPolicy",
          "imagePullSecret",
          "pluginConfig",
          "pluginName",
          "sha256",
          "type",
          "url",
          "verificationKey",
          "vmConfig");

  private FilterRules() {}

  /** The fields of a WasmPlugin's module, under {@code spec.wasm}, with Istio's rules. */
  static List<Violation> wasm(JsonNode wasm) {
    if (!SchemaRules.present(wasm)) {
      return List.of();
    }
    if (!wasm.isObject()) {
      return List.of(notAnObject("spec.wasm", wasm));
    }
    List<Violation> enums = new ArrayList<>();
    WASM_ENUMS.forEach(
        (field, values) ->
            enums.addAll(SchemaRules.enumField(wasm.get(field), "spec.wasm." + field, values)));
    return Stream.of(
            SchemaRules.unknownFields(wasm, "spec.wasm", WASM_FIELDS),
            ModuleSourceRules.istioUrl(wasm.get("url"), "spec.wasm.url"),
            ModuleSourceRules.sha256(wasm.get("sha256"), "spec.wasm.sha256"),
            enums,
            ModuleSourceRules.imagePullSecret(
                wasm.get("imagePullSecret"), "spec.wasm.imagePullSecret"),
            PluginSettingsRules.pluginName(wasm.get("pluginName"), "spec.wasm.pluginName"),
            ModuleSourceRules.verificationKey(
                wasm.get("verificationKey"), "spec.wasm.verificationKey"),
            PluginSettingsRules.pluginConfig(wasm.get("pluginConfig"), "spec.wasm.pluginConfig"),
            VmConfigRules.check(wasm.get("vmConfig"), "spec.wasm.vmConfig", Strictness.ISTIO))
        .flatMap(List::stream)
        .toList();
  }

  /** {@code spec.lua}: its inline code is required, 1 to 64 Ki characters. */
  static List<Violation> lua(JsonNode lua) {
    if (!SchemaRules.present(lua)) {
      return List.of();
    }
    if (!lua.isObject()) {
      return List.of(notAnObject("spec.lua", lua));
    }
    List<Violation> violations =
        new ArrayList<>(SchemaRules.unknownFields(lua, "spec.lua", Set.of("inlineCode")));
    JsonNode code = lua.get("inlineCode");
    if (code == null || code.isNull()) {
      violations.add(new Violation("spec.lua.inlineCode", "Required value"));
    } else {
      violations.addAll(SchemaRules.string(code, "spec.lua.inlineCode", 1, MAX_LUA_CODE));
    }
    return violations;
  }

  private static Violation notAnObject(String path, JsonNode value) {
    return new Violation(
        path,
        "Invalid value: \""
            + SchemaRules.typeName(value)
            + "\": "
            + path
            + " in body must be of type object");
  }
}
