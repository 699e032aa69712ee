package io.wasmplane.operator.kube;

import io.wasmplane.xds.ProxySession;
import io.wasmplane.xds.ResourceState;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Counts, per ECDS resource name, the proxies connected to this replica that select it. */
public final class ProxyTally {
  private ProxyTally() {}

  public static Map<String, ProxyCounts> of(Collection<ProxySession> sessions) {
    Map<String, ProxyCounts> counts = new TreeMap<>();
    for (ProxySession session : sessions) {
      for (String name : session.snapshot().extensionNames()) {
        String lastNack = null;
        if (session.hasNacked(name)) {
          ResourceState state = session.extensions().get(name);
          lastNack = session.identity().nodeId() + ": " + state.nackMessage();
        }
        ProxyCounts one =
            new ProxyCounts(
                1, session.hasAcked(name) ? 1 : 0, session.hasNacked(name) ? 1 : 0, lastNack);
        counts.merge(name, one, ProxyCounts::plus);
      }
    }
    return counts;
  }
}
