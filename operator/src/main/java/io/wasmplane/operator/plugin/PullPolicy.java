package io.wasmplane.operator.plugin;

import io.wasmplane.crd.ImageReference;
import io.wasmplane.crd.ModuleUrl;

/** When to fetch a module again: only when absent from the cache, or on every change. */
public enum PullPolicy {
  IF_NOT_PRESENT,
  ALWAYS;

  /**
   * The effective policy of {@code imagePullPolicy} {@code value} for {@code url}: unset or {@code
   * UNSPECIFIED_POLICY} means IfNotPresent, except that an OCI image tagged {@code latest} (or not
   * tagged, which means latest) means Always. A digest is never latest.
   */
  public static PullPolicy of(String value, ModuleUrl url) {
    if ("Always".equals(value)) {
      return ALWAYS;
    }
    if ("IfNotPresent".equals(value) || !url.isOci()) {
      return IF_NOT_PRESENT;
    }
    ImageReference image = ImageReference.parse(url.rest());
    return !image.pinned() && image.reference().equals("latest") ? ALWAYS : IF_NOT_PRESENT;
  }
}
