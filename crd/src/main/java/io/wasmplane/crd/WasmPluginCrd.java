package io.wasmplane.crd;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The WasmPlugin CustomResourceDefinition YAML, as shipped in the jar and in deploy/crds. */
public final class WasmPluginCrd {
  public static final String NAME = "wasmplugins.extensions.istio.io";
  public static final String FILE_NAME = NAME + ".yaml";
  public static final String RESOURCE_PATH = "src/main/resources/crds/" + FILE_NAME;

  private WasmPluginCrd() {}

  /** The CRD's YAML text. */
  public static String yaml() {
    try (InputStream in = WasmPluginCrd.class.getResourceAsStream("/crds/" + FILE_NAME)) {
      if (in == null) {
        throw new IllegalStateException("CRD resource /crds/" + FILE_NAME + " missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
