package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.wasmplane.xds.InvalidNodeException;
import io.wasmplane.xds.ProxyIdentity;
import io.wasmplane.xds.ProxyPlan;
import io.wasmplane.xds.ProxyPlanner;
import io.wasmplane.xds.XdsServer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster a proxy's identity is not taken on its word: its labels come from the Pod its node
 * id names. A proxy whose Pod is not yet in the cache is held briefly, then refused; a Pod label
 * change re-resolves that proxy.
 */
public final class PodIdentities implements ProxyPlanner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodIdentities.class);

  private final ProxyPlanner plans;
  private final Duration hold;
  private final SharedIndexInformer<Pod> pods;
  private volatile Supplier<XdsServer> xds = () -> null;
  private final Map<String, CompletableFuture<Pod>> awaited = new ConcurrentHashMap<>();

  public PodIdentities(KubernetesClient client, ProxyPlanner plans, Duration hold) {
    this.plans = plans;
    this.hold = hold;
    this.pods = client.pods().inAnyNamespace().runnableInformer(0);
    this.pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            arrived(pod);
          }

          @Override
          public void onUpdate(Pod before, Pod after) {
            arrived(after);
            if (!Objects.equals(labels(before), labels(after))) {
              relabel(after);
            }
          }

          @Override
          public void onDelete(Pod pod, boolean unknown) {}
        });
  }

  /** The server whose proxies this re-resolves on label changes. */
  public void attach(XdsServer server) {
    this.xds = () -> server;
  }

  public PodIdentities start() {
    pods.start();
    return this;
  }

  @Override
  public ProxyIdentity admit(ProxyIdentity claimed) throws InvalidNodeException {
    String key = Cache.namespaceKeyFunc(claimed.namespace(), claimed.podName());
    Pod pod = pods.getStore().getByKey(key);
    if (pod == null) {
      CompletableFuture<Pod> arrival = awaited.computeIfAbsent(key, k -> new CompletableFuture<>());
      pod = pods.getStore().getByKey(key);
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
  private void arrived(Pod pod) {
    CompletableFuture<Pod> waiting =
        awaited.remove(
            Cache.namespaceKeyFunc(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
    if (waiting != null) {
      waiting.complete(pod);
    }
  }

  private void relabel(Pod pod) {
    XdsServer server = xds.get();
    if (server == null) {
      return;
    }
    String nodeId = pod.getMetadata().getName() + "." + pod.getMetadata().getNamespace();
    LOG.info("pod {} changed labels to {}; replanning its proxy", nodeId, labels(pod));
    server.reidentify(nodeId, identity -> identity.withLabels(labels(pod)));
  }

  private static Map<String, String> labels(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? Map.of() : Map.copyOf(labels);
  }

  @Override
  public void close() {
    pods.close();
  }
}
