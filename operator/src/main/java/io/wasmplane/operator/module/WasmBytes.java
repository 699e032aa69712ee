package io.wasmplane.operator.module;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Checks and digests of module bytes. */
public final class WasmBytes {
  private WasmBytes() {}

  /** Fails unless {@code bytes} start with the Wasm magic number {@code \0asm}. */
  public static void requireWasm(byte[] bytes, String source) throws FetchException {
    if (bytes.length < 8
        || bytes[0] != 0
        || bytes[1] != 'a'
        || bytes[2] != 's'
        || bytes[3] != 'm') {
      throw new FetchException(
          "NotWasm", source + " is not a WebAssembly module (no \\0asm magic number)", false);
    }
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
