package io.wasmplane.operator.resolve;

import static io.wasmplane.operator.TestPlugins.inbound;
import static io.wasmplane.operator.TestPlugins.outbound;
import static io.wasmplane.operator.TestPlugins.plugin;
import static io.wasmplane.operator.TestPlugins.proxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.Protocol;
import io.wasmplane.xds.ProxyIdentity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChainResolverTest {
  private final ChainResolver resolver = new ChainResolver("istio-system");

  private static List<String> names(List<PluginSpec> plugins) {
    return plugins.stream().map(PluginSpec::name).toList();
  }

  @Test
  void selectorMustBeASubsetOfTheWorkloadLabels() {
    ProxyIdentity web =
        proxy("shop", Map.of("app", "web", "version", "v1"), inbound("in", 8080, Protocol.HTTP));
    List<PluginSpec> plugins =
        List.of(
            plugin("shop", "subset", "selector: {matchLabels: {app: web}}"),
            plugin("shop", "exact", "selector: {matchLabels: {app: web, version: v1}}"),
            plugin("shop", "superset", "selector: {matchLabels: {app: web, tier: front}}"),
            plugin("shop", "other-value", "selector: {matchLabels: {app: cart}}"),
            plugin("shop", "empty-selector", "selector: {}"),
            plugin("shop", "no-selector", ""));

    assertThat(names(resolver.resolve(plugins, web).get(0).http()))
        .containsExactly("empty-selector", "exact", "no-selector", "subset");
  }

  @Test
  void onlyTheProxyNamespaceAndTheRootNamespaceApply() {
    ProxyIdentity web = proxy("shop", Map.of("app", "web"), inbound("in", 8080, Protocol.HTTP));
    List<PluginSpec> plugins =
        List.of(
            plugin("istio-system", "root", "selector: {matchLabels: {app: web}}"),
            plugin("other", "foreign", ""),
            plugin("shop", "local", ""));

    assertThat(names(resolver.resolve(plugins, web).get(0).http()))
        .containsExactly("root", "local");
    ChainResolver customRoot = new ChainResolver("other");
    assertThat(names(customRoot.resolve(plugins, web).get(0).http()))
        .containsExactly("foreign", "local");
  }

  @Test
  void modeSelectsListenerDirectionAndPortsCompareTargetPortInboundAndPortOutbound() {
    ProxyIdentity proxy =
        proxy(
            "shop",
            Map.of(),
            inbound("in-8080", 8080, Protocol.HTTP),
            inbound("in-9090", 9090, Protocol.HTTP),
            outbound("out-8080", 8080, Protocol.HTTP));
    List<PluginSpec> plugins =
        List.of(
            plugin("shop", "server", "match: [{mode: SERVER}]"),
            plugin("shop", "client", "match: [{mode: CLIENT}]"),
            plugin("shop", "both", "match: [{mode: CLIENT_AND_SERVER}]"),
            plugin("shop", "undefined", "match: [{mode: UNDEFINED}]"),
            plugin("shop", "p8080", "match: [{ports: [{number: 8080}]}]"),
            plugin("shop", "server-9090", "match: [{mode: SERVER, ports: [{number: 9090}]}]"),
            plugin(
                "shop",
                "any-of",
                "match: [{mode: CLIENT, ports: [{number: 1}]}, {mode: SERVER, ports: [{number: 9090}]}]"));

    List<ResolvedListener> listeners = resolver.resolve(plugins, proxy);

    assertThat(names(listeners.get(0).http()))
        .containsExactly("both", "p8080", "server", "undefined");
    assertThat(names(listeners.get(1).http()))
        .containsExactly("any-of", "both", "server", "server-9090", "undefined");
    assertThat(names(listeners.get(2).http()))
        .containsExactly("both", "client", "p8080", "undefined");
  }

  @Test
  void networkPluginsGoToEveryListenerAndHttpPluginsOnlyToHttpListeners() {
    ProxyIdentity proxy =
        proxy(
            "shop",
            Map.of(),
            inbound("http", 8080, Protocol.HTTP),
            inbound("tcp", 5432, Protocol.TCP));
    List<PluginSpec> plugins =
        List.of(plugin("shop", "net", "type: NETWORK"), plugin("shop", "web", "type: HTTP"));

    List<ResolvedListener> listeners = resolver.resolve(plugins, proxy);

    assertThat(names(listeners.get(0).network())).containsExactly("net");
    assertThat(names(listeners.get(0).http())).containsExactly("web");
    assertThat(names(listeners.get(1).network())).containsExactly("net");
    assertThat(listeners.get(1).http()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Gateway in the proxy's namespace, proxy of it | shop | {kind: Gateway, group: gateway.networking.k8s.io, name: gw-a} | shop | gw-a | true
          Gateway, proxy of another Gateway              | shop | {kind: Gateway, group: gateway.networking.k8s.io, name: gw-a} | shop | gw-b | false
          Gateway, proxy of no Gateway                   | shop | {kind: Gateway, group: gateway.networking.k8s.io, name: gw-a} | shop |      | false
          Gateway, proxy in another namespace            | shop | {kind: Gateway, group: gateway.networking.k8s.io, name: gw-a} | other | gw-a | false
          root namespace Gateway is not global           | istio-system | {kind: Gateway, group: gateway.networking.k8s.io, name: gw-a} | shop | gw-a | false
          GatewayClass from the root namespace           | istio-system | {kind: GatewayClass, group: gateway.networking.k8s.io, name: envoy} | shop | gw-a | true
          GatewayClass of another class                  | istio-system | {kind: GatewayClass, group: gateway.networking.k8s.io, name: other} | shop | gw-a | false
          GatewayClass outside the root namespace        | shop | {kind: GatewayClass, group: gateway.networking.k8s.io, name: envoy} | shop | gw-a | false
          Service is not attached                        | shop | {kind: Service, name: gw-a} | shop | gw-a | false
          """)
  void targetRefsAttachToGatewayProxies(
      String situation,
      String pluginNamespace,
      String ref,
      String proxyNamespace,
      String gateway,
      boolean attached) {
    ChainResolver withClasses =
        new ChainResolver(
            "istio-system",
            (namespace, name) ->
                namespace.equals("shop") && name.equals("gw-a")
                    ? java.util.Optional.of("envoy")
                    : java.util.Optional.empty());
    Map<String, String> labels =
        gateway == null ? Map.of("app", "web") : Map.of(ChainResolver.GATEWAY_NAME, gateway);
    ProxyIdentity proxy = proxy(proxyNamespace, labels, inbound("http", 8080, Protocol.HTTP));
    PluginSpec plugin = plugin(pluginNamespace, "attached", "targetRefs: [" + ref + "]");

    assertThat(withClasses.resolve(List.of(plugin), proxy).get(0).http())
        .as(situation)
        .hasSize(attached ? 1 : 0);
  }

  @Test
  void emptyTargetRefsAreUnsetAndTheClassLabelAloneAttaches() {
    ProxyIdentity proxy =
        proxy(
            "shop",
            Map.of(ChainResolver.GATEWAY_CLASS_NAME, "envoy"),
            inbound("http", 8080, Protocol.HTTP));
    List<PluginSpec> plugins =
        List.of(
            plugin("shop", "unset", "targetRefs: []"),
            plugin(
                "istio-system",
                "by-class",
                "targetRefs: [{kind: GatewayClass, group: gateway.networking.k8s.io, name: envoy}]"));

    assertThat(names(resolver.resolve(plugins, proxy).get(0).http()))
        .containsExactly("by-class", "unset");
  }
}
