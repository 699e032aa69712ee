package io.wasmplane.crd;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** TrafficExtensions of our own: urls at the edges of Istio's url rule, and Lua size bounds. */
final class TrafficExtensionCases {
  private TrafficExtensionCases() {}

  static String extension(String name, String spec) {
    return ConformanceRun.resource("TrafficExtension", name, spec);
  }

  /** A Wasm TrafficExtension whose url is {@code url}, in a double-quoted YAML string. */
  static String withUrl(String url) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : url.toCharArray()) {
      if (c < 0x20 || c == '"' || c == '\\') {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    quoted.append('"');
    return extension("url-case", "wasm:\n  url: " + quoted);
  }

  /** Arguments: a url, and whether Istio's url rule admits it, as Go's net/url parses it. */
  static Stream<Arguments> urls() {
    return Stream.of(
        Arguments.of("oci://ghcr.io/org/filter:1.0", true),
        Arguments.of("HTTPS://modules.example.com/f.wasm", true),
        Arguments.of("file:///opt/filters/f.wasm", true),
        Arguments.of("/opt/filters/f.wasm", true),
        Arguments.of("ghcr.io/org/filter:1.0", true),
        Arguments.of("http:filter.wasm", true),
        Arguments.of("oci://ghcr.io/a b:1", true),
        Arguments.of("ftp://exa mple.com/x", true),
        Arguments.of("oci://registry.example.com/f#frag", true),
        Arguments.of("http://user:pass@modules.example.com/f.wasm", true),
        Arguments.of("http://[::1]:8080/f.wasm", true),
        Arguments.of("http://modules.example.com:/f.wasm", true),
        Arguments.of("http://modules.example.com/f.wasm?x=a b", true),
        Arguments.of("private-registry:5000/openid:latest", false),
        Arguments.of("localhost:5000/filter:1", false),
        Arguments.of("ftp://example.com/f.wasm", false),
        Arguments.of("a:b", false),
        Arguments.of(":filter", false),
        Arguments.of("x y", false),
        Arguments.of("https://modules.example.com/%zz.wasm", false),
        Arguments.of("http://modules.example.com:port/f.wasm", true),
        Arguments.of("http://modules.example.com/#%zz", false),
        Arguments.of("//a b", false),
        Arguments.of("http://us er@modules.example.com/f.wasm", true),
        Arguments.of("http://a b/f.wasm?x", true),
        Arguments.of("a b/f.wasm", false),
        Arguments.of("http://modules.example.com/f\u0001.wasm", false));
  }

  /** Arguments: case name, TrafficExtension YAML, whether it must be admitted. */
  static Stream<Arguments> luaBounds() {
    String longest = "-".repeat(FilterRules.MAX_LUA_CODE);
    String emoji = "-".repeat(FilterRules.MAX_LUA_CODE - 1) + "\uD83D\uDE00";
    return Stream.of(
        Arguments.of("lua-64ki", lua("lua-64ki", longest), true),
        Arguments.of("lua-64ki-plus-one", lua("lua-64ki-plus-one", longest + "-"), false),
        Arguments.of("lua-64ki-characters-one-astral", lua("lua-astral", emoji), true));
  }

  private static String lua(String name, String code) {
    return extension(name, "lua:\n  inlineCode: \"" + code + "\"");
  }
}
