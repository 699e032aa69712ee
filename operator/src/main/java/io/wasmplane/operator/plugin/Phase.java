package io.wasmplane.operator.plugin;

/** Where in the filter chain a plugin runs, in chain order; unspecified runs last. */
public enum Phase {
  AUTHN,
  AUTHZ,
  STATS,
  UNSPECIFIED;

  /** Reads the API's spelling; null and {@code UNSPECIFIED_PHASE} mean unspecified. */
  public static Phase of(String value) {
    if (value == null || value.equals("UNSPECIFIED_PHASE")) {
      return UNSPECIFIED;
    }
    return valueOf(value);
  }
}
