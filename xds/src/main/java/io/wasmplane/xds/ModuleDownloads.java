package io.wasmplane.xds;

/**
 * Hears how a proxy's module downloads go, so that a resource waiting on a module is sent again
 * once the module is in the proxy's cache, and not while the download still runs: Envoy starts
 * another download for every resend that misses its cache.
 */
public interface ModuleDownloads {
  ModuleDownloads NONE = (proxy, sha256) -> {};

  /** Proxy {@code proxy} (its node id) started downloading module {@code sha256}. */
  default void started(String proxy, String sha256) {}

  /** Proxy {@code proxy} received all bytes of module {@code sha256}. */
  void downloaded(String proxy, String sha256);

  /** Proxy {@code proxy}'s download of module {@code sha256} broke off. */
  default void failed(String proxy, String sha256) {}
}
