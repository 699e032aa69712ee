package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.wasmplane.xds.XdsServer;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Pod reconciler: a Pod that appears releases the proxies held for it, and a label change
 * re-resolves that Pod's proxy. Only label changes reach it; Pod status churn is filtered out, and
 * the cache keeps only each Pod's identity ({@link PodLabelStore}).
 */
@ControllerConfiguration(
    name = PodReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = LabelsChanged.class, itemStore = PodLabelStore.class))
public final class PodReconciler implements Reconciler<Pod> {
  static final String NAME = "pods";
  private static final Logger LOG = LoggerFactory.getLogger(PodReconciler.class);

  private final PodAdmission admission;
  private final XdsServer xds;

  /**
   * @param admission admits proxies by their Pods, from this reconciler's cache
   * @param xds the server whose proxies a label change re-resolves
   */
  public PodReconciler(PodAdmission admission, XdsServer xds) {
    this.admission = admission;
    this.xds = xds;
  }

  @Override
  public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
    admission.cache(context.getPrimaryCache());
    return List.of();
  }

  @Override
  public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
    admission.arrived(pod);
    String nodeId = pod.getMetadata().getName() + "." + pod.getMetadata().getNamespace();
    Map<String, String> labels = PodAdmission.labels(pod);
    if (xds.reidentify(nodeId, identity -> identity.withLabels(labels))) {
      LOG.info("pod {} changed labels to {}; replanned its proxy", nodeId, labels);
    }
    return UpdateControl.noUpdate();
  }
}
