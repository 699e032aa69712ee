package io.wasmplane.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** Pins the Lua syntax check a TrafficExtension passes before any proxy gets its code. */
class LuaSyntaxTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void codeThatParsesPassesAndIsNeverRun() {
    assertThat(
            LuaSyntax.error(
                """
                function envoy_on_request(request_handle)
                  local id = request_handle:headers():get("x-request-id")
                  if id == nil then return end
                  for i = 1, 3 do id = id .. i end
                  goto done
                  ::done::
                end
                error("this line would fail if it ran")
                """))
        .isEmpty();
  }

  @Test
  void aSyntaxErrorNamesItsLine() {
    assertThat(
            LuaSyntax.error(
                """
                function envoy_on_request(request_handle)
                  request_handle:headers():add("x", "y"
                end
                """))
        .hasValueSatisfying(
            error ->
                assertThat(error).startsWith("Lua syntax error: line 3:").contains("expected"));
    assertThat(LuaSyntax.error("function envoy_on_request(h")).isPresent();
    assertThat(LuaSyntax.error("local x = = 1")).isPresent();
  }

  @Test
  void aTrafficExtensionWhoseLuaDoesNotParseIsInvalidAtItsField() throws Exception {
    var resource =
        YAML.readTree(
            """
            apiVersion: extensions.istio.io/v1alpha1
            kind: TrafficExtension
            metadata: {name: typo, namespace: shop}
            spec:
              lua:
                inlineCode: "function envoy_on_request(h) h:headers():add('a', 'b' end"
            """);

    assertThat(PluginKind.TRAFFIC_EXTENSION.validate(resource))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("spec.lua.inlineCode");
              assertThat(v.message()).startsWith("Lua syntax error: line 1:");
            });
  }
}
