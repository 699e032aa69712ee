package io.wasmplane.operator.module;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Takes the Wasm module out of an image's gzipped tar layer, within a decompressed size limit. */
final class TarGzLayer {
  private TarGzLayer() {}

  /** The data decompressed to more than the limit. */
  static final class TooLarge extends IOException {
    TooLarge() {
      super("decompressed data over the size limit");
    }
  }

  /**
   * {@code plugin.wasm}, or else the only {@code .wasm} file, from {@code layer}; the whole layer
   * may decompress to at most {@code maxBytes}.
   */
  static byte[] wasm(byte[] layer, String image, long maxBytes) throws FetchException {
    Map<String, byte[]> wasmFiles = new LinkedHashMap<>();
    try (InputStream in =
        new Bounded(new GZIPInputStream(new ByteArrayInputStream(layer)), maxBytes)) {
      files(in, maxBytes)
          .forEach(
              (name, content) -> {
                if (name.endsWith(".wasm")) {
                  wasmFiles.put(name, content);
                }
              });
    } catch (TooLarge e) {
      throw new FetchException(
          "ModuleTooLarge",
          image
              + " has a last layer that decompresses to more than the limit of "
              + maxBytes
              + " bytes",
          false);
    } catch (IOException | NumberFormatException e) {
      throw new FetchException(
          "InvalidImage",
          image + " has a last layer that is not a tar.gz: " + e.getMessage(),
          false);
    }
    byte[] plugin = wasmFiles.get("plugin.wasm");
    if (plugin != null) {
      return plugin;
    }
    if (wasmFiles.size() == 1) {
      return wasmFiles.values().iterator().next();
    }
    throw new FetchException(
        "InvalidImage",
        image + " has no plugin.wasm in its last layer (found " + wasmFiles.keySet() + ")",
        false);
  }

  /**
   * The regular files in the tar stream {@code in}, by name without a leading {@code ./}, in order;
   * an entry larger than {@code maxBytes} fails with {@link TooLarge}.
   *
   * @throws NumberFormatException if a header's size field is not octal
   */
  static Map<String, byte[]> files(InputStream in, long maxBytes) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] header = new byte[512];
    while (in.readNBytes(header, 0, 512) == 512) {
      if (header[0] == 0) {
        break;
      }
      String name = field(header, 0, 100);
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      String octal = field(header, 124, 12).trim();
      long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
      if (size > Math.min(maxBytes, Integer.MAX_VALUE - 8)) {
        throw new TooLarge();
      }
      byte type = header[156];
      byte[] content = in.readNBytes((int) size);
      if (content.length < size) {
        throw new IOException("the tar ends inside " + name);
      }
      in.skipNBytes((512 - size % 512) % 512);
      if (type == '0' || type == 0) {
        files.put(name.replaceFirst("^\\./", ""), content);
      }
    }
    return files;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
  }

  /** A stream that fails once more than {@code max} bytes have been read from it. */
  static final class Bounded extends FilterInputStream {
    private final long max;
    private long read;

    Bounded(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) throws IOException {
      read += n;
      if (read > max) {
        throw new TooLarge();
      }
    }
  }
}
