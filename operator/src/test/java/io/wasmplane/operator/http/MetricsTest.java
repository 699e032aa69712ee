package io.wasmplane.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.plugin.PluginKind;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Pins the reconcile metrics: one metric per kind, the WasmPlugin one under its old name. */
class MetricsTest {
  @Test
  void reconcilesKeepTheWasmPluginMetricAndGiveTrafficExtensionsTheirOwn() {
    Map<PluginKind, Map<String, Long>> counts = new TreeMap<>();
    counts.put(PluginKind.WASM_PLUGIN, Map.of("team-a/auth", 3L));
    counts.put(PluginKind.TRAFFIC_EXTENSION, Map.of("team-a/lua", 2L));

    assertThat(Metrics.reconciles(counts).lines())
        .containsExactly(
            "# HELP wasmplane_plugin_reconciles_total Reconciles of each live WasmPlugin.",
            "# TYPE wasmplane_plugin_reconciles_total counter",
            "wasmplane_plugin_reconciles_total{namespace=\"team-a\",name=\"auth\"} 3",
            "# HELP wasmplane_trafficextension_reconciles_total Reconciles of each live"
                + " TrafficExtension.",
            "# TYPE wasmplane_trafficextension_reconciles_total counter",
            "wasmplane_trafficextension_reconciles_total{namespace=\"team-a\",name=\"lua\"} 2");
  }
}
