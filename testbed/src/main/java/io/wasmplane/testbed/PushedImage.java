package io.wasmplane.testbed;

/**
 * An image pushed to a test registry.
 *
 * @param reference {@code host:port/repository:tag}
 * @param manifestDigest the manifest's digest, {@code sha256:...}
 * @param moduleSha256 the hex SHA-256 of the Wasm module bytes
 */
public record PushedImage(String reference, String manifestDigest, String moduleSha256) {
  /** The reference pinned to its manifest digest: {@code host:port/repository@sha256:...}. */
  public String digestReference() {
    int colon = reference.lastIndexOf(':');
    return reference.substring(0, colon) + "@" + manifestDigest;
  }
}
