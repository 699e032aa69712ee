package io.wasmplane.operator.plan;

import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.xds.ExtensionOffer;
import java.util.List;
import java.util.Map;

/**
 * The configuration in force, published as one immutable value so that every reader (planning,
 * status, metrics, debug endpoints) sees the same version of it.
 *
 * @param state the accepted plugins and their module status
 * @param offers what each plugin offers the proxies: its last good version, or its stand-in
 * @param problems what the config source could not accept
 * @param generations the generation each plugin was read at, where known
 */
public record AppliedConfig(
    ConfigState state,
    Map<PluginRef, ExtensionOffer> offers,
    List<ConfigProblem> problems,
    Map<PluginRef, Long> generations) {
  public static final AppliedConfig EMPTY =
      new AppliedConfig(ConfigState.EMPTY, Map.of(), List.of(), Map.of());

  public AppliedConfig {
    offers = Map.copyOf(offers);
    problems = List.copyOf(problems);
    generations = Map.copyOf(generations);
  }

  /** The offer of plugin {@code ref}, or null. */
  public ExtensionOffer offer(PluginRef ref) {
    return offers.get(ref);
  }
}
