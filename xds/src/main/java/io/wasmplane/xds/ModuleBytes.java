package io.wasmplane.xds;

import com.google.protobuf.ByteString;
import java.util.Optional;

/**
 * Module bytes to put inline in ECDS resources ({@code --module-delivery inline}). Inline bytes
 * load on every update but cost the module's size on every push of the resource; {@link #REMOTE}
 * makes every served module a {@code remote} data source that Envoy fetches once per digest.
 */
public interface ModuleBytes {
  /** No inline bytes: every served module is a {@code remote} data source. */
  ModuleBytes REMOTE = sha256 -> Optional.empty();

  /** The bytes of module {@code sha256}, or empty to fall back to a remote data source. */
  Optional<ByteString> bytes(String sha256);
}
