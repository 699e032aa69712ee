package io.wasmplane.xds;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One connected proxy: who it is, what it was sent, and what it accepted or rejected. */
public final class ProxySession {
  private final Instant connectedAt = Instant.now();
  private final Map<String, ResourceState> types = new ConcurrentHashMap<>();
  private final Map<String, ResourceState> extensions = new ConcurrentHashMap<>();
  private volatile ProxyIdentity current;
  private final java.util.concurrent.atomic.AtomicReference<ProxySnapshot> snapshot =
      new java.util.concurrent.atomic.AtomicReference<>();

  ProxySession(ProxyIdentity identity, ProxySnapshot snapshot) {
    this.current = identity;
    this.snapshot.set(snapshot);
  }

  /** The identity now in force, which changes when e.g. the Pod's labels change. */
  public ProxyIdentity identity() {
    return current;
  }

  void identity(ProxyIdentity updated) {
    this.current = updated;
  }

  public Instant connectedAt() {
    return connectedAt;
  }

  public ProxySnapshot snapshot() {
    return snapshot.get();
  }

  void snapshot(ProxySnapshot updated) {
    this.snapshot.set(updated);
  }

  /** Replaces the snapshot only if it is still {@code expected}; a concurrent replan wins. */
  boolean replaceSnapshot(ProxySnapshot expected, ProxySnapshot updated) {
    return snapshot.compareAndSet(expected, updated);
  }

  /** Per type URL (LDS, ECDS): the versions the proxy accepted and rejected. */
  public Map<String, ResourceState> types() {
    return Map.copyOf(types);
  }

  /** Per ECDS resource name: the versions the proxy accepted and rejected. */
  public Map<String, ResourceState> extensions() {
    return Map.copyOf(extensions);
  }

  /** Whether the proxy runs the current version of the ECDS resource {@code name}. */
  public boolean hasAcked(String name) {
    ResourceState state = extensions.get(name);
    String version = snapshot().extensionVersion(name);
    return state != null && version != null && version.equals(state.ackedVersion());
  }

  /** Whether the proxy rejected the current version of the ECDS resource {@code name}. */
  public boolean hasNacked(String name) {
    ResourceState state = extensions.get(name);
    String version = snapshot().extensionVersion(name);
    return state != null && version != null && version.equals(state.nackedVersion());
  }

  void acked(String typeUrl, String version, Map<String, String> resourceVersions) {
    types.merge(typeUrl, ResourceState.NONE.ack(version), (old, n) -> old.ack(version));
    resourceVersions.forEach(
        (name, v) -> extensions.merge(name, ResourceState.NONE.ack(v), (old, n) -> old.ack(v)));
  }

  /**
   * Records a rejected response. A NACK covers the whole response, but a resource whose version the
   * proxy had already accepted cannot be what it rejected, so only the resources that changed are
   * marked: with one changed plugin in the response, the NACK lands on exactly that plugin.
   */
  void nacked(
      String typeUrl, String version, String message, Map<String, String> resourceVersions) {
    types.merge(
        typeUrl, ResourceState.NONE.nack(version, message), (old, n) -> old.nack(version, message));
    resourceVersions.forEach(
        (name, v) -> {
          ResourceState state = extensions.get(name);
          if (state == null || !v.equals(state.ackedVersion())) {
            extensions.merge(
                name, ResourceState.NONE.nack(v, message), (old, n) -> old.nack(v, message));
          }
        });
  }
}
