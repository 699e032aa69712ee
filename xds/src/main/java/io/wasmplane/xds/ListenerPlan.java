package io.wasmplane.xds;

import java.util.List;

/**
 * A listener with the ordered ECDS names of the plugins that run on it.
 *
 * @param listener the declared listener
 * @param networkFilters NETWORK plugins, in order, ahead of the HCM or tcp_proxy
 * @param httpFilters HTTP plugins, in order, ahead of the router (HTTP listeners only)
 */
public record ListenerPlan(
    ListenerSpec listener, List<String> networkFilters, List<String> httpFilters) {
  public ListenerPlan {
    networkFilters = List.copyOf(networkFilters);
    httpFilters = List.copyOf(httpFilters);
  }
}
