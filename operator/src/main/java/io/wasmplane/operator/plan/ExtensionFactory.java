package io.wasmplane.operator.plan;

import io.wasmplane.operator.plugin.EnvVar;
import io.wasmplane.operator.plugin.PluginKind;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.ModuleSource;
import io.wasmplane.xds.StandInFilter;
import io.wasmplane.xds.WasmFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps a plugin and its module to the ECDS resource Envoy gets: the Wasm filter or a stand-in. */
public final class ExtensionFactory {
  private ExtensionFactory() {}

  /** The plugin's Wasm filter running {@code module}. */
  public static WasmFilter wasm(PluginSpec plugin, ModuleSource module) {
    List<String> hostKeys = new ArrayList<>();
    Map<String, String> inline = new TreeMap<>();
    for (EnvVar var : plugin.env()) {
      if (var.fromHost()) {
        hostKeys.add(var.name());
      } else {
        inline.put(var.name(), var.value());
      }
    }
    return new WasmFilter(
        plugin.ref().ecdsName(),
        plugin.type(),
        plugin.rootId(),
        vmId(plugin),
        module,
        plugin.configuration(),
        plugin.failStrategy().failurePolicy(),
        hostKeys,
        inline);
  }

  /** The {@code failStrategy} stand-in for a plugin whose module cannot be used. */
  public static StandInFilter standIn(PluginSpec plugin) {
    return new StandInFilter(
        plugin.ref().ecdsName(), plugin.type(), vmId(plugin), plugin.failStrategy().standIn());
  }

  /** {@code namespace.name} for a WasmPlugin, as Istio names it; other kinds are prefixed. */
  private static String vmId(PluginSpec plugin) {
    String vm = plugin.namespace() + "." + plugin.name();
    return plugin.ref().kind() == PluginKind.WASM_PLUGIN
        ? vm
        : plugin.ref().kind().segment() + "." + vm;
  }
}
