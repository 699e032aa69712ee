package io.wasmplane.xds;

/** Where Envoy gets a plugin's code from: a Wasm module, or Lua source for Envoy's Lua filter. */
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

  /**
   * Lua source carried inline: the filter is Envoy's Lua HTTP filter rather than Wasm, and an edit
   * is one ECDS update with nothing to fetch.
   */
  record Lua(String code) implements ModuleSource {}
}
