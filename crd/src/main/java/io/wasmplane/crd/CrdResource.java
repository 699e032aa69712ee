package io.wasmplane.crd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads a CRD's YAML from the jar's {@code /crds/} folder. */
final class CrdResource {
  private CrdResource() {}

  static String read(String fileName) {
    try (InputStream in = CrdResource.class.getResourceAsStream("/crds/" + fileName)) {
      if (in == null) {
        throw new IllegalStateException("CRD resource /crds/" + fileName + " missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
