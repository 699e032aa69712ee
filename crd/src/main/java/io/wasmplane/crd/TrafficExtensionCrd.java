package io.wasmplane.crd;

/** The TrafficExtension CustomResourceDefinition: its names, and its YAML as shipped. */
public final class TrafficExtensionCrd {
  public static final String GROUP = "extensions.istio.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "TrafficExtension";
  public static final String PLURAL = "trafficextensions";
  public static final String SINGULAR = "trafficextension";
  public static final String NAME = PLURAL + "." + GROUP;
  public static final String FILE_NAME = NAME + ".yaml";
  public static final String RESOURCE_PATH = "src/main/resources/crds/" + FILE_NAME;

  private TrafficExtensionCrd() {}

  /** The CRD's YAML text. */
  public static String yaml() {
    return CrdResource.read(FILE_NAME);
  }
}
