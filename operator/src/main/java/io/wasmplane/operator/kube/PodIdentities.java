package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.wasmplane.xds.InvalidNodeException;
import io.wasmplane.xds.ProxyIdentity;
import io.wasmplane.xds.ProxyPlan;
import io.wasmplane.xds.ProxyPlanner;
import io.wasmplane.xds.XdsServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * id names. A proxy whose Pod is not yet in the cache is held briefly, then refused. It is also the
 * Pod reconciler: a Pod that appears releases proxies held for it, and a label change re-resolves
 * that proxy. Only label changes reach it; Pod status churn is filtered out, and the cache keeps
 * only each Pod's identity ({@link PodLabelStore}).
 */
@ControllerConfiguration(
    name = PodIdentities.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = LabelsChanged.class, itemStore = PodLabelStore.class))
public final class PodIdentities implements ProxyPlanner, Reconciler<Pod> {
  static final String NAME = "pods";
  private static final Logger LOG = LoggerFactory.getLogger(PodIdentities.class);

  private final ProxyPlanner plans;
  private final Duration hold;
  private volatile IndexerResourceCache<Pod> pods;
  private volatile Supplier<XdsServer> xds = () -> null;
  private final Map<ResourceID, CompletableFuture<Pod>> awaited = new ConcurrentHashMap<>();

  public PodIdentities(ProxyPlanner plans, Duration hold) {
    this.plans = plans;
    this.hold = hold;
  }

  @Override
  public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
    this.pods = context.getPrimaryCache();
    return List.of();
  }

  @Override
  public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
    arrived(pod);
    relabel(pod);
    return UpdateControl.noUpdate();
  }

  /** The server whose proxies this re-resolves on label changes. */
  public void attach(XdsServer server) {
    this.xds = () -> server;
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
  private void arrived(Pod pod) {
    CompletableFuture<Pod> waiting = awaited.remove(ResourceID.fromResource(pod));
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
    Map<String, String> labels = labels(pod);
    if (server.reidentify(nodeId, identity -> identity.withLabels(labels))) {
      LOG.info("pod {} changed labels to {}; replanned its proxy", nodeId, labels);
    }
  }

  private static Map<String, String> labels(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? Map.of() : Map.copyOf(labels);
  }

  private Pod cached(ResourceID key) {
    IndexerResourceCache<Pod> cache = pods;
    return cache == null ? null : cache.get(key).orElse(null);
  }
}
