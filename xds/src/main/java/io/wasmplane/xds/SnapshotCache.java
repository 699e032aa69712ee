package io.wasmplane.xds;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Shares one immutable {@link ProxySnapshot} among all proxies whose plans are equal. */
public final class SnapshotCache {
  private final ConcurrentHashMap<ProxyPlan, ProxySnapshot> snapshots = new ConcurrentHashMap<>();
  private final ModuleBytes modules;

  public SnapshotCache(ModuleBytes modules) {
    this.modules = modules;
  }

  public ProxySnapshot snapshot(ProxyPlan plan) {
    return snapshots.computeIfAbsent(plan, p -> ProxySnapshot.of(p, modules));
  }

  /** Forgets snapshots of plans no proxy uses any more. */
  public void retainOnly(Set<ProxyPlan> inUse) {
    snapshots.keySet().retainAll(inUse);
  }

  public int size() {
    return snapshots.size();
  }
}
