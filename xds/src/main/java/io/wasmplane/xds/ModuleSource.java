package io.wasmplane.xds;

/** Where Envoy gets a plugin's Wasm code from. */
public sealed interface ModuleSource {
  /** A file already inside the proxy ({@code file://} urls). */
  record LocalFile(String filename) implements ModuleSource {}

  /**
   * Bytes served by the control plane's module server on the {@code wasmplane-modules} cluster.
   *
   * @param sha256 hex digest of the module bytes; Envoy verifies it
   */
  record Served(String sha256) implements ModuleSource {
    public String path() {
      return "/modules/sha256/" + sha256;
    }
  }
}
