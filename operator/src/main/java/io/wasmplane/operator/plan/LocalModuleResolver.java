package io.wasmplane.operator.plan;

import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.ModuleSource;

/**
 * Resolves {@code file://} modules, which are already inside the proxy. Remote urls are reported as
 * not fetchable, so their plugins follow {@code failStrategy}.
 */
public final class LocalModuleResolver implements ModuleResolver {
  @Override
  public ModuleStatus status(PluginSpec plugin) {
    if (plugin.url().isFile()) {
      String path = plugin.url().rest();
      String note =
          plugin.sha256() == null || plugin.sha256().isEmpty()
              ? null
              : "sha256 not checked: file:// modules are read by the proxy, not the operator";
      return new ModuleStatus.Ready(new ModuleSource.LocalFile(path), null, null, note);
    }
    return new ModuleStatus.Failed(
        "FetchNotSupported",
        "this control plane cannot fetch " + plugin.url().scheme() + ":// modules");
  }
}
