package io.wasmplane.xds;

import java.util.Objects;

/**
 * What the control plane can send for one plugin: its last verified version and, only while no
 * verified version exists and the module failed, the stand-in that takes its place.
 *
 * @param name ECDS resource name
 * @param good the newest spec whose module was fetched and verified, paired with that module; null
 *     while the first fetch runs or after it failed
 * @param standIn the {@code failStrategy} stand-in; null unless {@code good} is null and the module
 *     failed
 */
public record ExtensionOffer(String name, WasmFilter good, StandInFilter standIn) {
  public ExtensionOffer {
    Objects.requireNonNull(name, "name");
    if (good != null && standIn != null) {
      throw new IllegalArgumentException(name + ": a stand-in is offered only without a good one");
    }
  }

  /** An offer of one verified version. */
  public static ExtensionOffer of(WasmFilter good) {
    return new ExtensionOffer(good.name(), good, null);
  }

  /** What a proxy that never had this plugin gets: the good version, the stand-in, or nothing. */
  public WasmExtension preferred() {
    return good != null ? good : standIn;
  }
}
