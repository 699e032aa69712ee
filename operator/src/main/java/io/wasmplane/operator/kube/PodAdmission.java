package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.wasmplane.xds.InvalidNodeException;
import io.wasmplane.xds.ProxyCaller;
import io.wasmplane.xds.ProxyIdentity;
import io.wasmplane.xds.ProxyPlan;
import io.wasmplane.xds.ProxyPlanner;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * In a cluster a proxy's identity is not taken on its word: its labels come from the Pod its node
 * id names. A proxy whose Pod is not yet in the cache is held briefly, then refused with a message
 * that says why.
 */
public final class PodAdmission implements ProxyPlanner {
  private final ProxyPlanner plans;
  private final Duration hold;
  private volatile IndexerResourceCache<Pod> pods;
  private final Map<ResourceID, CompletableFuture<Pod>> awaited = new ConcurrentHashMap<>();

  /**
   * @param plans plans the admitted proxies
   * @param hold how long a proxy whose Pod is unknown is held before it is refused
   */
  public PodAdmission(ProxyPlanner plans, Duration hold) {
    this.plans = plans;
    this.hold = hold;
  }

  /** The Pod cache to read identities from, once the Pod informer has one. */
  void cache(IndexerResourceCache<Pod> cache) {
    this.pods = cache;
  }

  /**
   * Admits the proxy as {@link #admit(ProxyIdentity)} does, and refuses it when its credentials
   * were issued for an earlier Pod of the same name.
   */
  @Override
  public ProxyIdentity admit(ProxyIdentity claimed, ProxyCaller caller)
      throws InvalidNodeException {
    ProxyIdentity admitted = admit(claimed);
    if (caller.podUid() != null) {
      Pod pod = cached(new ResourceID(claimed.podName(), claimed.namespace()));
      String uid = pod == null ? null : pod.getMetadata().getUid();
      if (uid != null && !uid.equals(caller.podUid())) {
        throw new InvalidNodeException(
            Status.Code.PERMISSION_DENIED,
            "the token was issued for an earlier Pod "
                + claimed.namespace()
                + "/"
                + claimed.podName()
                + " (uid "
                + caller.podUid()
                + "), not the one running now (uid "
                + uid
                + ")");
      }
    }
    return admitted;
  }

  @Override
  public ProxyIdentity admit(ProxyIdentity claimed) throws InvalidNodeException {
    ResourceID key = new ResourceID(claimed.podName(), claimed.namespace());
    Pod pod = cached(key);
    if (pod == null) {
      CompletableFuture<Pod> arrival = awaited.computeIfAbsent(key, k -> new CompletableFuture<>());
      pod = cached(key);
      try {
        if (pod == null) {
          pod = arrival.get(hold.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (TimeoutException | ExecutionException e) {
        pod = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pod = null;
      } finally {
        awaited.remove(key, arrival);
      }
    }
    if (pod == null) {
      throw new InvalidNodeException(
          "no Pod "
              + claimed.namespace()
              + "/"
              + claimed.podName()
              + " for node.id "
              + claimed.nodeId()
              + " (waited "
              + hold.toSeconds()
              + "s); node.id must be <pod>.<namespace> of a running Pod");
    }
    return claimed.withLabels(labels(pod));
  }

  @Override
  public ProxyPlan plan(ProxyIdentity proxy) {
    return plans.plan(proxy);
  }

  /** Releases proxies held while waiting for this Pod to appear in the cache. */
  void arrived(Pod pod) {
    CompletableFuture<Pod> waiting = awaited.remove(ResourceID.fromResource(pod));
    if (waiting != null) {
      waiting.complete(pod);
    }
  }

  static Map<String, String> labels(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? Map.of() : Map.copyOf(labels);
  }

  private Pod cached(ResourceID key) {
    IndexerResourceCache<Pod> cache = pods;
    return cache == null ? null : cache.get(key).orElse(null);
  }
}
