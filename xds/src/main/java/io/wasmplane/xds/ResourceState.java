package io.wasmplane.xds;

/**
 * What a proxy last said about one resource or type.
 *
 * @param ackedVersion the last version it accepted, or null
 * @param nackedVersion the last version it rejected, or null once a later version is accepted
 * @param nackMessage Envoy's error detail for that rejection, or null
 */
public record ResourceState(String ackedVersion, String nackedVersion, String nackMessage) {
  public static final ResourceState NONE = new ResourceState(null, null, null);

  ResourceState ack(String version) {
    return new ResourceState(version, null, null);
  }

  ResourceState nack(String version, String message) {
    return new ResourceState(ackedVersion, version, message);
  }
}
