package io.wasmplane.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.crd.WasmPluginValidator;
import io.wasmplane.operator.plugin.PluginParser;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.Direction;
import io.wasmplane.xds.ListenerSpec;
import io.wasmplane.xds.Protocol;
import io.wasmplane.xds.ProxyIdentity;
import java.util.List;
import java.util.Map;

/** Builds plugins from WasmPlugin YAML and proxies for unit tests. */
public final class TestPlugins {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TestPlugins() {}

  /** A valid plugin {@code namespace/name} with the given spec lines (url defaults to file). */
  public static PluginSpec plugin(String namespace, String name, String spec) {
    String body = spec.contains("url:") ? spec : "url: file:///plugins/" + name + ".wasm\n" + spec;
    String yaml =
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: %s, namespace: %s}
        spec:
        %s"""
            .formatted(name, namespace, body.indent(2));
    try {
      var node = YAML.readTree(yaml);
      var violations = WasmPluginValidator.validate(node);
      if (!violations.isEmpty()) {
        throw new IllegalArgumentException("invalid test plugin: " + violations);
      }
      return PluginParser.parse(node);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static ListenerSpec inbound(String name, int targetPort, Protocol protocol) {
    return new ListenerSpec(
        name, "0.0.0.0", 15006 + targetPort % 100, Direction.INBOUND, targetPort, protocol, "app");
  }

  public static ListenerSpec outbound(String name, int port, Protocol protocol) {
    return new ListenerSpec(name, "0.0.0.0", port, Direction.OUTBOUND, null, protocol, "app");
  }

  public static ProxyIdentity proxy(
      String namespace, Map<String, String> labels, ListenerSpec... listeners) {
    return new ProxyIdentity("pod-1." + namespace, "pod-1", namespace, labels, List.of(listeners));
  }
}
