package io.wasmplane.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.ExtensionConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.List;

/**
 * Builds the Envoy Listener for a {@link ListenerPlan}. Plugins appear only as {@code
 * config_discovery} references over ADS, so a plugin's content can change without touching LDS.
 */
public final class ListenerTranslator {
  private ListenerTranslator() {}

  public static Listener translate(ListenerPlan plan) {
    ListenerSpec spec = plan.listener();
    FilterChain.Builder chain = FilterChain.newBuilder();
    for (String name : plan.networkFilters()) {
      chain.addFilters(
          Filter.newBuilder()
              .setName(name)
              .setConfigDiscovery(discovery(TypeUrls.NETWORK_WASM, TypeUrls.NETWORK_RBAC)));
    }
    if (spec.protocol() == Protocol.HTTP) {
      chain.addFilters(
          Filter.newBuilder()
              .setName("envoy.filters.network.http_connection_manager")
              .setTypedConfig(Any.pack(connectionManager(spec, plan.httpFilters()))));
    } else {
      chain.addFilters(
          Filter.newBuilder()
              .setName("envoy.filters.network.tcp_proxy")
              .setTypedConfig(
                  Any.pack(
                      TcpProxy.newBuilder()
                          .setStatPrefix(spec.name())
                          .setCluster(spec.cluster())
                          .build())));
    }
    return Listener.newBuilder()
        .setName(spec.name())
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder()
                        .setAddress(spec.address())
                        .setPortValue(spec.port())))
        .setTrafficDirection(
            spec.direction() == Direction.INBOUND
                ? TrafficDirection.INBOUND
                : TrafficDirection.OUTBOUND)
        .addFilterChains(chain)
        .build();
  }

  private static HttpConnectionManager connectionManager(ListenerSpec spec, List<String> plugins) {
    HttpConnectionManager.Builder hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(spec.name())
            .setRouteConfig(
                RouteConfiguration.newBuilder()
                    .setName(spec.name())
                    .addVirtualHosts(
                        VirtualHost.newBuilder()
                            .setName(spec.name())
                            .addDomains("*")
                            .addRoutes(
                                Route.newBuilder()
                                    .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                    .setRoute(
                                        RouteAction.newBuilder().setCluster(spec.cluster())))));
    for (String name : plugins) {
      // A TrafficExtension's slot may hold Lua; a WasmPlugin's only Wasm or its stand-ins.
      hcm.addHttpFilters(
          HttpFilter.newBuilder()
              .setName(name)
              .setConfigDiscovery(
                  WasmExtension.mayBeLua(name)
                      ? discovery(
                          TypeUrls.HTTP_WASM,
                          TypeUrls.HTTP_RBAC,
                          TypeUrls.HTTP_FAULT,
                          TypeUrls.HTTP_LUA)
                      : discovery(TypeUrls.HTTP_WASM, TypeUrls.HTTP_RBAC, TypeUrls.HTTP_FAULT)));
    }
    hcm.addHttpFilters(
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return hcm.build();
  }

  private static ExtensionConfigSource discovery(String... typeUrls) {
    return ExtensionConfigSource.newBuilder()
        .setConfigSource(
            ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                // Wait for the plugin however long its module takes, as a listener must never
                // start without a plugin it references.
                .setInitialFetchTimeout(com.google.protobuf.Duration.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3))
        .addAllTypeUrls(List.of(typeUrls))
        .build();
  }
}
