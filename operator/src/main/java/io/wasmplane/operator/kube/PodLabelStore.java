package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The Pod informer's store, keeping of each Pod only what a proxy's identity needs: name,
 * namespace, labels, uid and resource version. Specs and statuses, most of a Pod's size, are
 * dropped, so the cache of every Pod in the cluster stays small.
 */
public final class PodLabelStore extends BasicItemStore<Pod> {
  public PodLabelStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Pod put(String key, Pod pod) {
    return super.put(key, prune(pod));
  }

  static Pod prune(Pod pod) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(pod.getMetadata().getName())
        .withNamespace(pod.getMetadata().getNamespace())
        .withUid(pod.getMetadata().getUid())
        .withResourceVersion(pod.getMetadata().getResourceVersion())
        .withLabels(pod.getMetadata().getLabels())
        .endMetadata()
        .build();
  }
}
