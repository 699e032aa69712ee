package io.wasmplane.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Any;
import com.google.protobuf.StringValue;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.wasmplane.crd.WasmPluginValidator;
import io.wasmplane.operator.plugin.PluginParser;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.resolve.ChainResolver;
import io.wasmplane.xds.Direction;
import io.wasmplane.xds.ListenerSpec;
import io.wasmplane.xds.ModuleSource;
import io.wasmplane.xds.Protocol;
import io.wasmplane.xds.ProxyIdentity;
import io.wasmplane.xds.ProxySnapshot;
import io.wasmplane.xds.RemoteFetch;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures: each directory under {@code golden/} holds WasmPlugin YAML and a proxy, and the
 * exact Envoy Listener and ECDS resources (proto JSON) they must translate to.
 *
 * <p>Modules: {@code file://} urls are local files; a url containing {@code unreachable} is a
 * failed fetch (stand-in); any other url is served with the digest {@code 64 × "ab"}.
 */
class GoldenTranslationTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(Listener.getDescriptor())
                  .add(HttpConnectionManager.getDescriptor())
                  .add(Router.getDescriptor())
                  .add(TcpProxy.getDescriptor())
                  .add(TypedExtensionConfig.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.filters.network.wasm.v3.Wasm.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.getDescriptor())
                  .add(HTTPFault.getDescriptor())
                  .add(StringValue.getDescriptor())
                  .build());

  static Stream<String> cases() throws Exception {
    try (Stream<Path> dirs = Files.list(goldenRoot())) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  private static Path goldenRoot() throws URISyntaxException {
    return Path.of(GoldenTranslationTest.class.getResource("/golden").toURI());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void translatesToTheGoldenEnvoyConfig(String name) throws Exception {
    Path dir = goldenRoot().resolve(name);
    List<PluginSpec> plugins = new ArrayList<>();
    List<JsonNode> docs =
        YAML.readerFor(JsonNode.class)
            .<JsonNode>readValues(dir.resolve("plugins.yaml").toFile())
            .readAll();
    for (JsonNode doc : docs) {
      assertThat(WasmPluginValidator.validate(doc)).as(name).isEmpty();
      plugins.add(PluginParser.parse(doc));
    }
    Map<io.wasmplane.operator.plugin.PluginRef, ModuleStatus> modules = new HashMap<>();
    for (PluginSpec plugin : plugins) {
      modules.put(plugin.ref(), moduleFor(plugin));
    }
    PluginPlanner planner = new PluginPlanner(new ChainResolver("istio-system"));
    planner.update(new ConfigState(plugins, modules));
    ProxyIdentity identity = proxy(YAML.readTree(dir.resolve("proxy.yaml").toFile()));
    ProxySnapshot snapshot = ProxySnapshot.of(planner.plan(identity));

    List<JsonNode> listeners = new ArrayList<>();
    for (Any listener : snapshot.listeners()) {
      listeners.add(JSON.readTree(PRINTER.print(listener)));
    }
    Map<String, JsonNode> extensions = new TreeMap<>();
    for (String ecds : snapshot.extensionNames()) {
      // What this proxy is sent first, exactly as it ships (remote delivery).
      Any resource =
          snapshot.resource(
              snapshot.offer(ecds).preferred(), new RemoteFetch(identity.nodeId(), 1));
      extensions.put(ecds, JSON.readTree(PRINTER.print(resource)));
    }
    JsonNode actual =
        JSON.createObjectNode()
            .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                "listeners", JSON.valueToTree(listeners))
            .set("extensions", JSON.valueToTree(extensions));

    Path expectedFile = Path.of("src/test/resources/golden", name, "expected.json");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(
          expectedFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
    }
    JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
    assertThat(actual).as(name).isEqualTo(expected);
  }

  private static ModuleStatus moduleFor(PluginSpec plugin) {
    if (plugin.url().isFile()) {
      return new ModuleStatus.Ready(
          new ModuleSource.LocalFile(plugin.url().rest()), null, null, null);
    }
    if (plugin.url().rest().contains("unreachable")) {
      return new ModuleStatus.Failed("FetchFailed", "connection refused");
    }
    return new ModuleStatus.Ready(
        new ModuleSource.Served("ab".repeat(32)), "ab".repeat(32), null, null);
  }

  private static ProxyIdentity proxy(JsonNode node) {
    Map<String, String> labels = new TreeMap<>();
    node.path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<ListenerSpec> listeners = new ArrayList<>();
    for (JsonNode l : node.path("listeners")) {
      listeners.add(
          new ListenerSpec(
              l.path("name").asText(),
              l.path("address").asText("0.0.0.0"),
              l.path("port").asInt(),
              Direction.valueOf(l.path("direction").asText()),
              l.has("targetPort") ? l.path("targetPort").asInt() : null,
              Protocol.valueOf(l.path("protocol").asText()),
              l.path("cluster").asText()));
    }
    String namespace = node.path("namespace").asText();
    return new ProxyIdentity("pod." + namespace, "pod", namespace, labels, listeners);
  }
}
