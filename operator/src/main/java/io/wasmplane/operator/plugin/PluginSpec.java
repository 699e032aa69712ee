package io.wasmplane.operator.plugin;

import io.wasmplane.crd.ModuleUrl;
import io.wasmplane.xds.FilterType;
import java.util.List;
import java.util.Map;

/**
 * A valid WasmPlugin in the form resolution and translation use, the same whether it came from
 * Kubernetes or from a directory.
 *
 * @param ref namespace and name
 * @param generation {@code metadata.generation}; without one (directory mode), a hash of the spec
 * @param metadataHash hash of labels and annotations, which an {@code Always} pull policy watches
 * @param uid {@code metadata.uid}, or empty where there is none (directory mode)
 * @param selector {@code selector.matchLabels}; null when there is no selector
 * @param url where the module comes from
 * @param sha256 the expected digest, or null
 * @param pullPolicy effective pull policy (unset resolved per the API)
 * @param pullSecret name of the pull Secret, or null
 * @param configuration canonical JSON of {@code pluginConfig}, or null when empty or absent
 * @param rootId {@code pluginName}, or empty
 * @param phase chain phase
 * @param priority order within the phase; unset is 0
 * @param failStrategy what happens when the VM fails, and what stands in for a missing module
 * @param env VM environment variables
 * @param match traffic selectors; empty means all traffic
 * @param type HTTP or NETWORK
 * @param targetRefs what {@code targetRef} and {@code targetRefs} attach the plugin to; empty when
 *     unset (an empty list is unset too)
 * @param lua the inline Lua source of a Lua TrafficExtension, which then has no {@code url}; null
 *     for Wasm
 */
public record PluginSpec(
    PluginRef ref,
    long generation,
    String metadataHash,
    String uid,
    Map<String, String> selector,
    ModuleUrl url,
    String sha256,
    PullPolicy pullPolicy,
    String pullSecret,
    String configuration,
    String rootId,
    Phase phase,
    int priority,
    FailStrategy failStrategy,
    List<EnvVar> env,
    List<TrafficSelector> match,
    FilterType type,
    List<TargetRef> targetRefs,
    String lua) {

  public PluginSpec {
    selector = selector == null ? null : Map.copyOf(selector);
    env = List.copyOf(env);
    targetRefs = List.copyOf(targetRefs);
    match = List.copyOf(match);
  }

  public String namespace() {
    return ref.namespace();
  }

  public String name() {
    return ref.name();
  }

  /** The first target this plugin names that Wasmplane does not attach to, or null. */
  public TargetRef unsupportedTarget() {
    return targetRefs.stream().filter(t -> !t.supported()).findFirst().orElse(null);
  }

  /** Where the code comes from, for people: the module url, or {@code inline Lua}. */
  public String source() {
    return lua != null ? "inline Lua" : url.scheme() + "://" + url.rest();
  }
}
