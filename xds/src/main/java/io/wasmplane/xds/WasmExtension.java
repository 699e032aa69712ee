package io.wasmplane.xds;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One plugin as an ECDS resource: either the Wasm filter itself or, when {@link #standIn()} is set,
 * the stand-in that replaces it under the same name.
 *
 * @param name ECDS resource name, {@code extensions.istio.io/wasmplugin/<namespace>.<name>}
 * @param type HTTP or NETWORK filter
 * @param rootId Envoy {@code root_id}; may be empty
 * @param vmId Envoy {@code vm_id}; one VM per plugin
 * @param module where the code comes from; null for a stand-in
 * @param configuration the plugin configuration text, or null for none
 * @param failurePolicy Envoy's failure policy for the VM
 * @param hostEnvKeys environment variables copied from the proxy's host
 * @param inlineEnv environment variables with inline values, in a stable order
 * @param standIn null for the Wasm filter; else the stand-in kind
 * @param standInReason why the stand-in is there, for logs and status
 */
public record WasmExtension(
    String name,
    FilterType type,
    String rootId,
    String vmId,
    ModuleSource module,
    String configuration,
    FailurePolicy failurePolicy,
    List<String> hostEnvKeys,
    Map<String, String> inlineEnv,
    StandIn standIn,
    String standInReason) {

  public WasmExtension {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    hostEnvKeys = List.copyOf(hostEnvKeys);
    inlineEnv = Map.copyOf(inlineEnv);
    if (standIn == null) {
      Objects.requireNonNull(module, "module of a Wasm filter");
    }
  }

  /** The ECDS name of the plugin {@code namespace/name}. */
  public static String resourceName(String namespace, String name) {
    return "extensions.istio.io/wasmplugin/" + namespace + "." + name;
  }
}
