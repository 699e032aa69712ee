package io.wasmplane.xds;

import com.google.protobuf.ByteString;
import java.util.Optional;

/**
 * Module bytes to put inline in ECDS resources. Envoy loads a {@code remote} Wasm data source only
 * while a listener warms; a remote source delivered by a later ECDS update is never fetched, so a
 * plugin whose module changes (or that heals from a stand-in) would never load. Inline bytes load
 * on every update.
 */
public interface ModuleBytes {
  /** No inline bytes: every served module is a {@code remote} data source. */
  ModuleBytes REMOTE = sha256 -> Optional.empty();

  /** The bytes of module {@code sha256}, or empty to fall back to a remote data source. */
  Optional<ByteString> bytes(String sha256);
}
