package io.wasmplane.operator.plugin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.compiler.LuaC;

/**
 * Checks that a Lua TrafficExtension's code parses, before any proxy sees it: on Envoy 1.40 a Lua
 * filter that does not compile made its whole listener answer 500. The code is only compiled, never
 * run.
 */
public final class LuaSyntax {
  private static final String CHUNK = "inlineCode";
  private static final String WHERE = "[string \"" + CHUNK + "\"]:";

  private LuaSyntax() {}

  /** Why {@code code} does not parse, naming the line; empty when it parses. */
  public static synchronized Optional<String> error(String code) {
    try {
      LuaC.instance.compile(new ByteArrayInputStream(code.getBytes(StandardCharsets.UTF_8)), CHUNK);
      return Optional.empty();
    } catch (LuaError | IOException e) {
      String message = String.valueOf(e.getMessage());
      return Optional.of(
          "Lua syntax error: "
              + (message.startsWith(WHERE)
                  ? "line " + message.substring(WHERE.length())
                  : message));
    } catch (RuntimeException e) {
      return Optional.of("Lua syntax error: " + e);
    }
  }
}
