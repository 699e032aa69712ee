package io.wasmplane.xds;

/** Hears that a proxy finished downloading a module, so what waited on it can be sent again. */
public interface ModuleDownloads {
  ModuleDownloads NONE = (proxy, sha256) -> {};

  /** Proxy {@code proxy} (its node id) received all bytes of module {@code sha256}. */
  void downloaded(String proxy, String sha256);
}
