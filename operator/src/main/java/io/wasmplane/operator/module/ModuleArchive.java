package io.wasmplane.operator.module;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Takes a Wasm module out of what an http(s) url served: the module itself, or a gzip, a tar or a
 * tar.gz around it, told apart by their magic bytes whatever the url's name or the response's
 * {@code Content-Encoding}. The unpacked data may be at most the module size limit.
 */
final class ModuleArchive {
  /** Layers of packing taken off at most, e.g. a tar in a gzip in a gzip. */
  private static final int MAX_DEPTH = 4;

  private static final byte[] USTAR = "ustar".getBytes(StandardCharsets.US_ASCII);

  private ModuleArchive() {}

  /**
   * The module in {@code body}: {@code body} itself when it is not packed (or not recognisably
   * packed; the caller then reports it as not Wasm), else its unpacked content.
   *
   * @throws FetchException {@code ModuleTooLarge} when unpacking passes {@code maxBytes}, {@code
   *     InvalidArchive} for a broken archive or one without a single module in it
   */
  static byte[] unpack(byte[] body, String url, long maxBytes) throws FetchException {
    byte[] current = body;
    for (int depth = 0; depth < MAX_DEPTH && !isWasm(current); depth++) {
      if (isGzip(current)) {
        current = gunzip(new ByteArrayInputStream(current), url, maxBytes);
      } else if (isTar(current)) {
        current = fromTar(current, url, maxBytes);
      } else {
        break;
      }
    }
    return current;
  }

  /** The gzip stream {@code compressed} decompressed, refused once it passes {@code maxBytes}. */
  static byte[] gunzip(InputStream compressed, String url, long maxBytes) throws FetchException {
    try (InputStream in = new TarGzLayer.Bounded(new GZIPInputStream(compressed), maxBytes)) {
      return in.readAllBytes();
    } catch (TarGzLayer.TooLarge e) {
      throw tooLarge(url, maxBytes);
    } catch (IOException e) {
      throw new FetchException(
          "InvalidArchive", url + " is not a valid gzip: " + e.getMessage(), false);
    }
  }

  /**
   * The module in a tar: its only file, else {@code plugin.wasm}, else its only {@code .wasm} file.
   */
  private static byte[] fromTar(byte[] tar, String url, long maxBytes) throws FetchException {
    Map<String, byte[]> files;
    try {
      files = TarGzLayer.files(new ByteArrayInputStream(tar), maxBytes);
    } catch (TarGzLayer.TooLarge e) {
      throw tooLarge(url, maxBytes);
    } catch (IOException | NumberFormatException e) {
      throw new FetchException(
          "InvalidArchive", url + " is not a valid tar: " + e.getMessage(), false);
    }
    if (files.size() == 1) {
      return files.values().iterator().next();
    }
    if (files.containsKey("plugin.wasm")) {
      return files.get("plugin.wasm");
    }
    Map<String, byte[]> wasm = new LinkedHashMap<>(files);
    wasm.keySet().removeIf(name -> !name.endsWith(".wasm"));
    if (wasm.size() == 1) {
      return wasm.values().iterator().next();
    }
    throw new FetchException(
        "InvalidArchive",
        url
            + " is a tar with "
            + (wasm.isEmpty() ? "no .wasm file" : wasm.size() + " .wasm files " + wasm.keySet())
            + " and no plugin.wasm, so which module to use is ambiguous; put one module in it,"
            + " or name it plugin.wasm",
        false);
  }

  private static FetchException tooLarge(String url, long maxBytes) {
    return new FetchException(
        "ModuleTooLarge", url + " unpacks to more than the limit of " + maxBytes + " bytes", false);
  }

  static boolean isWasm(byte[] bytes) {
    return bytes.length >= 4
        && bytes[0] == 0
        && bytes[1] == 'a'
        && bytes[2] == 's'
        && bytes[3] == 'm';
  }

  static boolean isGzip(byte[] bytes) {
    return bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  /** A POSIX (ustar) tar: {@code ustar} at offset 257. */
  static boolean isTar(byte[] bytes) {
    return bytes.length > 262 && Arrays.equals(bytes, 257, 262, USTAR, 0, 5);
  }
}
