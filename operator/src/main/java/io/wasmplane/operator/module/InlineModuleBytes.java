package io.wasmplane.operator.module;

import com.google.protobuf.ByteString;
import io.wasmplane.xds.ModuleBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Module bytes from the cache for inline delivery in ECDS, kept in memory for the most recent
 * modules so that every snapshot shares one copy.
 */
public final class InlineModuleBytes implements ModuleBytes {
  private static final int KEEP = 64;
  private final ModuleCache cache;
  private final Map<String, ByteString> recent =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ByteString> eldest) {
          return size() > KEEP;
        }
      };

  public InlineModuleBytes(ModuleCache cache) {
    this.cache = cache;
  }

  @Override
  public synchronized Optional<ByteString> bytes(String sha256) {
    ByteString bytes = recent.get(sha256);
    if (bytes != null) {
      return Optional.of(bytes);
    }
    try {
      var file = cache.get(sha256);
      if (file.isEmpty()) {
        return Optional.empty();
      }
      bytes = ByteString.copyFrom(Files.readAllBytes(file.get()));
      recent.put(sha256, bytes);
      return Optional.of(bytes);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
