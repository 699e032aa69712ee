package io.wasmplane.e2e;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reads the ECDS names that LDS listeners reference through {@code config_discovery}. */
final class FleetListeners {
  private FleetListeners() {}

  /** Every listener, network and HTTP filter name with a {@code config_discovery} source. */
  static Set<String> ecdsNames(List<Any> listeners) throws InvalidProtocolBufferException {
    Set<String> names = new TreeSet<>();
    for (Any resource : listeners) {
      Listener listener = resource.unpack(Listener.class);
      for (ListenerFilter filter : listener.getListenerFiltersList()) {
        if (filter.hasConfigDiscovery()) {
          names.add(filter.getName());
        }
      }
      List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
      if (listener.hasDefaultFilterChain()) {
        chains.add(listener.getDefaultFilterChain());
      }
      for (FilterChain chain : chains) {
        for (Filter filter : chain.getFiltersList()) {
          if (filter.hasConfigDiscovery()) {
            names.add(filter.getName());
          } else if (filter.getTypedConfig().is(HttpConnectionManager.class)) {
            HttpConnectionManager hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
            for (HttpFilter http : hcm.getHttpFiltersList()) {
              if (http.hasConfigDiscovery()) {
                names.add(http.getName());
              }
            }
          }
        }
      }
    }
    return names;
  }
}
