package io.wasmplane.crd;

/** The WasmPlugin CustomResourceDefinition YAML, as shipped in the jar and in deploy/crds. */
public final class WasmPluginCrd {
  public static final String NAME = "wasmplugins.extensions.istio.io";
  public static final String FILE_NAME = NAME + ".yaml";
  public static final String RESOURCE_PATH = "src/main/resources/crds/" + FILE_NAME;

  private WasmPluginCrd() {}

  /** The CRD's YAML text. */
  public static String yaml() {
    return CrdResource.read(FILE_NAME);
  }
}
