package io.wasmplane.crd;

/**
 * An OCI image reference split into registry, repository and tag or digest.
 *
 * @param registry {@code host[:port]} as written, {@code docker.io} when absent
 * @param repository path in the registry
 * @param reference the tag, or {@code sha256:...} for a digest
 * @param pinned whether {@link #reference()} is a digest
 */
public record ImageReference(String registry, String repository, String reference, boolean pinned) {

  /** Parses the part after {@code oci://} (or a url with no scheme). */
  public static ImageReference parse(String text) {
    String rest = text;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String registry = "docker.io";
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = "latest";
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    if (registry.equals("docker.io") && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    return digest != null
        ? new ImageReference(registry, rest, digest, true)
        : new ImageReference(registry, rest, tag, false);
  }

  /** The host to speak the registry API to ({@code registry-1.docker.io} for Docker Hub). */
  public String apiHost() {
    return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
  }

  /** Whether the registry is on this machine, and so is spoken to over plain HTTP. */
  public boolean isLoopback() {
    String host =
        registry.startsWith("[")
            ? registry.substring(0, registry.indexOf(']') + 1)
            : registry.replaceFirst(":[0-9]+$", "");
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  @Override
  public String toString() {
    return registry + "/" + repository + (pinned ? "@" : ":") + reference;
  }
}
