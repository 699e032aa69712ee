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
}
