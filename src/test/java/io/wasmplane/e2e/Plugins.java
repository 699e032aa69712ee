package io.wasmplane.e2e;

import io.wasmplane.testbed.WasmFixtures;

/**
 * WasmPlugin and TrafficExtension YAML for the end-to-end tests, using the testbed's Wasm fixtures.
 */
final class Plugins {
  private Plugins() {}

  /** A plugin in {@code namespace} running {@code fixture}, with extra spec lines. */
  static String plugin(String namespace, String name, String fixture, String spec) {
    return """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata:
          name: %s
          namespace: %s
        spec:
          url: file://%s
        %s"""
        .formatted(name, namespace, WasmFixtures.path(fixture), spec.indent(2));
  }

  /** A header-chain plugin whose configuration is {@code {"name": <name>}}. */
  static String chain(String namespace, String name, String spec) {
    return plugin(
        namespace, name, WasmFixtures.HEADER_CHAIN, "pluginConfig: {name: " + name + "}\n" + spec);
  }

  /** What a header-chain plugin named {@code name} adds to the request. */
  static String mark(String name) {
    return "{\"name\":\"" + name + "\"}";
  }

  /**
   * A Lua TrafficExtension that adds {@code mark} to the chain header as header-chain does, with
   * extra spec lines.
   */
  static String luaExtension(String namespace, String name, String mark, String spec) {
    return """
        apiVersion: extensions.istio.io/v1alpha1
        kind: TrafficExtension
        metadata: {name: %s, namespace: %s}
        spec:
        %s  lua:
            inlineCode: |
              function envoy_on_request(request_handle)
                request_handle:headers():add("x-wasmplane-chain", '%s')
              end
        """
        .formatted(name, namespace, spec.indent(2), mark);
  }

  /**
   * A Wasm TrafficExtension running header-chain with configuration {@code {"name": <name>}}, with
   * extra spec lines.
   */
  static String wasmExtension(String namespace, String name, String spec) {
    return """
        apiVersion: extensions.istio.io/v1alpha1
        kind: TrafficExtension
        metadata: {name: %s, namespace: %s}
        spec:
        %s  wasm:
            url: file://%s
            pluginConfig: {name: %s}
        """
        .formatted(
            name, namespace, spec.indent(2), WasmFixtures.path(WasmFixtures.HEADER_CHAIN), name);
  }
}
