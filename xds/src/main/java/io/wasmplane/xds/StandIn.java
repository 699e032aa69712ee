package io.wasmplane.xds;

/**
 * What takes a plugin's place while its module cannot be used, so that every filter a listener
 * references always has a config and no listener waits.
 */
public enum StandIn {
  /** Traffic passes as if the plugin were absent (FAIL_OPEN): an RBAC filter with no rules. */
  PASS,
  /**
   * Traffic is refused (FAIL_CLOSE, FAIL_RELOAD): HTTP answers 503 through a fault abort; TCP
   * connections are closed by an RBAC deny-all.
   */
  DENY;

  /** The stand-in of a plugin whose VM fails as {@code policy} says: only FAIL_OPEN passes. */
  public static StandIn of(FailurePolicy policy) {
    return policy == FailurePolicy.FAIL_OPEN ? PASS : DENY;
  }
}
