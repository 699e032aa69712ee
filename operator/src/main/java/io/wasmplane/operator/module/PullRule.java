package io.wasmplane.operator.module;

import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.plugin.PullPolicy;

/**
 * Decides when a plugin's module is pulled: which pulls are the same pull, when a cached module may
 * be used, and whether a module is the one the plugin pins. A pure function of the plugin.
 *
 * <ul>
 *   <li>A {@code sha256}, or an {@code @sha256:} url, pins the module: a cached module with that
 *       digest is used, any other is a miss, and {@code Always} never pulls a pinned module again.
 *   <li>{@code Always} pulls again for every new generation or label and annotation change, and for
 *       every new instance of the plugin (its uid), so two plugins never share an outcome.
 *   <li>Otherwise ({@code IfNotPresent}) a module the cache remembers for the url is used.
 * </ul>
 */
public final class PullRule {
  private PullRule() {}

  /**
   * One distinct pull: plugins with equal keys share its outcome.
   *
   * @param url the canonical url
   * @param credentials a fingerprint of the pull credentials, or empty
   * @param pin the digest the plugin pins (manifest digest for OCI, module digest else), or empty
   * @param trigger what forces a new pull under {@code Always}; empty when the cache may be used
   */
  public record PullKey(String url, String credentials, String pin, String trigger) {
    /** Whether a module the cache remembers for the url may serve this pull. */
    public boolean mayUseCache() {
      return trigger.isEmpty();
    }

    public boolean isOci() {
      return url.startsWith("oci://");
    }
  }

  /** The pull key of {@code plugin} with credentials whose fingerprint is {@code credentials}. */
  public static PullKey key(PluginSpec plugin, String credentials) {
    String url = plugin.url().scheme() + "://" + plugin.url().rest();
    String pin = pin(plugin);
    String trigger =
        plugin.pullPolicy() == PullPolicy.ALWAYS && pin.isEmpty()
            ? plugin.ref()
                + "/"
                + plugin.uid()
                + "/"
                + plugin.generation()
                + "/"
                + plugin.metadataHash()
            : "";
    return new PullKey(url, credentials, pin, trigger);
  }

  private static String pin(PluginSpec plugin) {
    if (plugin.sha256() != null && !plugin.sha256().isEmpty()) {
      return plugin.sha256();
    }
    String pinned = plugin.url().pinnedDigest();
    return pinned == null ? "" : pinned;
  }

  /**
   * Why a module with these digests is not the one {@code key} pins, or null when it is (or nothing
   * is pinned).
   *
   * @param moduleDigest hex SHA-256 of the module bytes
   * @param imageDigest the OCI manifest digest ({@code sha256:<hex>}), or null
   */
  public static String mismatch(PullKey key, String moduleDigest, String imageDigest) {
    if (key.pin().isEmpty()) {
      return null;
    }
    if (key.isOci()) {
      return ("sha256:" + key.pin()).equals(imageDigest)
          ? null
          : "sha256 "
              + key.pin()
              + " does not match the image's manifest digest "
              + imageDigest
              + " (module bytes sha256:"
              + moduleDigest
              + ")";
    }
    return key.pin().equals(moduleDigest)
        ? null
        : "sha256 " + key.pin() + " does not match the module's sha256 " + moduleDigest;
  }
}
