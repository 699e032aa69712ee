package io.wasmplane.xds;

import java.util.Objects;

/**
 * What takes a plugin's place, under its name, while it has no usable module.
 *
 * @param name ECDS resource name
 * @param type HTTP or NETWORK filter
 * @param vmId the plugin's {@code vm_id}, which names the stand-in's stats
 * @param kind pass-through or deny
 */
public record StandInFilter(String name, FilterType type, String vmId, StandIn kind)
    implements WasmExtension {
  public StandInFilter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * The stand-in of {@code filter}: same name, type and VM id, the kind its failure policy says.
   */
  public static StandInFilter of(WasmFilter filter) {
    return new StandInFilter(
        filter.name(), filter.type(), filter.vmId(), StandIn.of(filter.failurePolicy()));
  }
}
