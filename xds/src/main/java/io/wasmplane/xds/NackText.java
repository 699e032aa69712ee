package io.wasmplane.xds;

import java.nio.charset.StandardCharsets;

/**
 * Envoy's NACK message as Wasmplane keeps it: cut to 1 KiB, so that a proxy cannot fill status,
 * Events or logs with whatever it sends.
 */
public final class NackText {
  /** The most bytes (UTF-8) of a NACK message that are kept. */
  public static final int MAX_BYTES = 1024;

  private static final String CUT = " [cut]";

  private NackText() {}

  /** {@code message}, cut to at most {@link #MAX_BYTES} bytes of UTF-8. */
  public static String cap(String message) {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_BYTES) {
      return message;
    }
    int keep = MAX_BYTES - CUT.length();
    // Never split a UTF-8 sequence: step back over continuation bytes.
    while (keep > 0 && (bytes[keep] & 0xC0) == 0x80) {
      keep--;
    }
    return new String(bytes, 0, keep, StandardCharsets.UTF_8) + CUT;
  }
}
