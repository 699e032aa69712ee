package io.wasmplane.operator.resolve;

import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.ListenerSpec;
import java.util.List;

/**
 * A proxy listener with the plugins that apply to it, in chain order.
 *
 * @param listener the declared listener
 * @param network NETWORK plugins
 * @param http HTTP plugins (always empty on TCP listeners)
 */
public record ResolvedListener(
    ListenerSpec listener, List<PluginSpec> network, List<PluginSpec> http) {
  public ResolvedListener {
    network = List.copyOf(network);
    http = List.copyOf(http);
  }
}
