package io.wasmplane.xds;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Shares one immutable {@link ProxySnapshot} among all proxies whose plans are equal. */
public final class SnapshotCache {
  private final ConcurrentHashMap<ProxyPlan, ProxySnapshot> snapshots = new ConcurrentHashMap<>();

  public ProxySnapshot snapshot(ProxyPlan plan) {
    return snapshots.computeIfAbsent(plan, ProxySnapshot::of);
  }

  /** Forgets snapshots of plans no proxy uses any more. */
  public void retainOnly(Set<ProxyPlan> inUse) {
    snapshots.keySet().retainAll(inUse);
  }

  public int size() {
    return snapshots.size();
  }
}
