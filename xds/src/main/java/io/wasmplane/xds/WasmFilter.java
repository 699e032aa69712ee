package io.wasmplane.xds;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A plugin's Wasm filter.
 *
 * @param name ECDS resource name
 * @param type HTTP or NETWORK filter
 * @param rootId Envoy {@code root_id}; may be empty
 * @param vmId Envoy {@code vm_id}; one VM per plugin
 * @param module where the code comes from: a file in the proxy, or the control plane
 * @param configuration the plugin configuration text, or null for none
 * @param failurePolicy Envoy's failure policy for the VM
 * @param hostEnvKeys environment variables copied from the proxy's host
 * @param inlineEnv environment variables with inline values
 */
public record WasmFilter(
    String name,
    FilterType type,
    String rootId,
    String vmId,
    ModuleSource module,
    String configuration,
    FailurePolicy failurePolicy,
    List<String> hostEnvKeys,
    Map<String, String> inlineEnv)
    implements WasmExtension {
  public WasmFilter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(module, "module");
    hostEnvKeys = List.copyOf(hostEnvKeys);
    inlineEnv = Map.copyOf(inlineEnv);
  }
}
