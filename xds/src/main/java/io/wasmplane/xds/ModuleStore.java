package io.wasmplane.xds;

import java.nio.file.Path;
import java.util.Optional;

/** Where the module server finds module bytes by their SHA-256. */
public interface ModuleStore {
  /** The file holding the module whose hex SHA-256 is {@code sha256}, if present. */
  Optional<Path> module(String sha256);
}
