package io.wasmplane.operator.resolve;

import io.wasmplane.operator.plugin.PluginSpec;
import java.util.Comparator;

/**
 * The order plugins run in: by phase (AUTHN, AUTHZ, STATS, unspecified), then priority highest
 * first, then namespace, then name. It never depends on creation time or arrival order.
 */
public final class PluginOrder {
  public static final Comparator<PluginSpec> CHAIN =
      Comparator.comparing(PluginSpec::phase)
          .thenComparing(Comparator.comparingInt(PluginSpec::priority).reversed())
          .thenComparing(PluginSpec::ref);

  private PluginOrder() {}
}
