package io.wasmplane.operator.plugin;

import io.wasmplane.xds.FailurePolicy;
import io.wasmplane.xds.StandIn;

/**
 * What a plugin does when its VM fails, and what stands in for it while its module has never been
 * usable: the one place {@code failStrategy} is decided.
 */
public enum FailStrategy {
  /** The default: Envoy's {@code FAIL_CLOSED}; a stand-in refuses traffic. */
  FAIL_CLOSE(FailurePolicy.FAIL_CLOSED),
  /** Envoy's {@code FAIL_OPEN}; a stand-in lets traffic pass. */
  FAIL_OPEN(FailurePolicy.FAIL_OPEN),
  /** Envoy's {@code FAIL_RELOAD}; a stand-in refuses traffic. */
  FAIL_RELOAD(FailurePolicy.FAIL_RELOAD);

  private final FailurePolicy failurePolicy;

  FailStrategy(FailurePolicy failurePolicy) {
    this.failurePolicy = failurePolicy;
  }

  /** Reads the API's spelling; unset means {@code FAIL_CLOSE}. */
  public static FailStrategy of(String value) {
    return value == null || value.isEmpty() ? FAIL_CLOSE : valueOf(value);
  }

  /** Envoy's {@code failure_policy} for the plugin's VM. */
  public FailurePolicy failurePolicy() {
    return failurePolicy;
  }

  /** What takes the plugin's place while its module was never usable. */
  public StandIn standIn() {
    return StandIn.of(failurePolicy);
  }

  /** The stand-in, as status and logs name it. */
  public String standInDescription() {
    return standIn() == StandIn.PASS ? "a pass-through stand-in" : "a deny-all stand-in";
  }
}
