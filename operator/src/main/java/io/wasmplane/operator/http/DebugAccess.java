package io.wasmplane.operator.http;

import java.net.InetAddress;

/**
 * Who may read the debug views, which name every proxy, plugin url and digest: loopback callers,
 * which {@code kubectl port-forward} and a shell in the operator's Pod are.
 */
final class DebugAccess {
  private DebugAccess() {}

  /** Whether {@code caller} may read the debug views. */
  static boolean allows(InetAddress caller) {
    return caller != null && caller.isLoopbackAddress();
  }
}
