package io.wasmplane.operator.plan;

import io.wasmplane.operator.plugin.EnvVar;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.FailurePolicy;
import io.wasmplane.xds.StandIn;
import io.wasmplane.xds.WasmExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Maps a plugin and its module status to the ECDS resource Envoy gets. */
public final class ExtensionFactory {
  private ExtensionFactory() {}

  /** The plugin's extension, or null while its module is still being fetched. */
  public static WasmExtension build(PluginSpec plugin, ModuleStatus module) {
    if (module instanceof ModuleStatus.Pending || module == null) {
      return null;
    }
    List<String> hostKeys = new ArrayList<>();
    Map<String, String> inline = new TreeMap<>();
    for (EnvVar var : plugin.env()) {
      if (var.fromHost()) {
        hostKeys.add(var.name());
      } else {
        inline.put(var.name(), var.value());
      }
    }
    FailurePolicy policy =
        switch (plugin.failStrategy()) {
          case "FAIL_OPEN" -> FailurePolicy.FAIL_OPEN;
          case "FAIL_RELOAD" -> FailurePolicy.FAIL_RELOAD;
          default -> FailurePolicy.FAIL_CLOSED;
        };
    String vmId = plugin.namespace() + "." + plugin.name();
    WasmExtension extension =
        new WasmExtension(
            WasmExtension.resourceName(plugin.namespace(), plugin.name()),
            plugin.type(),
            plugin.rootId(),
            vmId,
            module instanceof ModuleStatus.Ready ready ? ready.source() : null,
            plugin.configuration(),
            policy,
            hostKeys,
            inline,
            module instanceof ModuleStatus.Failed ? standIn(policy) : null,
            module instanceof ModuleStatus.Failed failed ? failed.message() : null);
    return extension;
  }

  private static StandIn standIn(FailurePolicy policy) {
    return policy == FailurePolicy.FAIL_OPEN ? StandIn.PASS : StandIn.DENY;
  }
}
