package io.wasmplane.operator.plan;

import io.wasmplane.xds.ModuleSource;

/** Whether a plugin's module can be handed to Envoy, and if not, why. */
public sealed interface ModuleStatus {
  /**
   * The module is usable.
   *
   * @param source how Envoy gets the code
   * @param moduleDigest hex SHA-256 of the module bytes, or null when unknown (file://)
   * @param imageDigest OCI manifest digest, or null
   * @param note a remark for status, e.g. that a file:// sha256 could not be checked; may be null
   */
  record Ready(ModuleSource source, String moduleDigest, String imageDigest, String note)
      implements ModuleStatus {}

  /** The module is being fetched; the plugin stays out of LDS until it is ready or failed. */
  record Pending(String reason) implements ModuleStatus {}

  /**
   * The module cannot be fetched or verified; a stand-in takes the plugin's place.
   *
   * @param reason a CamelCase reason for status
   * @param message what went wrong, for a person
   */
  record Failed(String reason, String message) implements ModuleStatus {}
}
