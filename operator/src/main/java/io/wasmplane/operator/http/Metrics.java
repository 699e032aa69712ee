package io.wasmplane.operator.http;

import io.wasmplane.operator.plan.AppliedConfig;
import io.wasmplane.operator.plan.ControlPlane;
import io.wasmplane.operator.plugin.PluginKind;
import io.wasmplane.xds.ProxySession;
import io.wasmplane.xds.ResourceState;
import io.wasmplane.xds.XdsServer;
import java.util.List;
import java.util.Map;

/** Renders the operator's state in the Prometheus text format. */
public final class Metrics {
  private Metrics() {}

  static String render(ControlPlane controlPlane, XdsServer xds, long moduleDownloads) {
    List<ProxySession> sessions = xds.sessions();
    long nacking =
        sessions.stream()
            .filter(
                s ->
                    s.types().values().stream().anyMatch(t -> t.nackedVersion() != null)
                        || s.extensions().values().stream()
                            .map(ResourceState::nackedVersion)
                            .anyMatch(v -> v != null))
            .count();
    AppliedConfig applied = controlPlane.applied();
    var modules = applied.state().modules().values();
    StringBuilder out = new StringBuilder();
    gauge(out, "wasmplane_connected_proxies", "Proxies connected over ADS.", sessions.size());
    gauge(
        out,
        "wasmplane_nacking_proxies",
        "Proxies whose last answer for some resource was a NACK.",
        nacking);
    gauge(
        out,
        "wasmplane_distinct_snapshots",
        "Distinct proxy snapshots shared by connected proxies.",
        xds.distinctSnapshots());
    out.append("# HELP wasmplane_plugins Accepted plugins by module state.\n");
    out.append("# TYPE wasmplane_plugins gauge\n");
    for (String state : List.of("Ready", "Pending", "Failed")) {
      long count = modules.stream().filter(m -> m.getClass().getSimpleName().equals(state)).count();
      out.append("wasmplane_plugins{module=\"")
          .append(state)
          .append("\"} ")
          .append(count)
          .append('\n');
    }
    out.append("# HELP wasmplane_module_downloads_total Module downloads served to proxies.\n");
    out.append("# TYPE wasmplane_module_downloads_total counter\n");
    out.append("wasmplane_module_downloads_total ").append(moduleDownloads).append('\n');
    gauge(
        out,
        "wasmplane_config_problems",
        "Inputs skipped because they are invalid.",
        applied.problems().size());
    return out.toString();
  }

  /**
   * Reconciles per plugin, by {@code namespace/name}: WasmPlugins as {@code
   * wasmplane_plugin_reconciles_total}, TrafficExtensions as {@code
   * wasmplane_trafficextension_reconciles_total}.
   */
  public static String reconciles(Map<PluginKind, Map<String, Long>> byKind) {
    StringBuilder out = new StringBuilder();
    byKind.forEach(
        (kind, counts) -> {
          String metric =
              kind == PluginKind.WASM_PLUGIN
                  ? "wasmplane_plugin_reconciles_total"
                  : "wasmplane_" + kind.segment() + "_reconciles_total";
          out.append("# HELP ")
              .append(metric)
              .append(" Reconciles of each live ")
              .append(kind.kind())
              .append(".\n");
          out.append("# TYPE ").append(metric).append(" counter\n");
          counts.forEach(
              (plugin, count) -> {
                int slash = plugin.indexOf('/');
                out.append(metric)
                    .append("{namespace=\"")
                    .append(plugin, 0, slash)
                    .append("\",name=\"")
                    .append(plugin.substring(slash + 1))
                    .append("\"} ")
                    .append(count)
                    .append('\n');
              });
        });
    return out.toString();
  }

  /** Whether this replica holds the status lease. */
  public static String statusLeader(boolean leading) {
    StringBuilder out = new StringBuilder();
    gauge(
        out,
        "wasmplane_status_leader",
        "1 while this replica holds the status lease and writes status.",
        leading ? 1 : 0);
    return out.toString();
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
    out.append(name).append(' ').append(value).append('\n');
  }
}
