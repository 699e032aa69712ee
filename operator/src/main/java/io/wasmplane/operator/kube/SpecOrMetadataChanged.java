package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.wasmplane.operator.plugin.PullTrigger;

/**
 * Lets a WasmPlugin or TrafficExtension update through to the reconciler when {@link PullTrigger}
 * says it can matter: its spec, labels or annotations changed. Status writes and resync-only
 * updates are dropped.
 */
public final class SpecOrMetadataChanged implements OnUpdateFilter<HasMetadata> {
  @Override
  public boolean accept(HasMetadata updated, HasMetadata old) {
    return PullTrigger.changed(
        old.getMetadata().getGeneration(),
        old.getMetadata().getLabels(),
        old.getMetadata().getAnnotations(),
        updated.getMetadata().getGeneration(),
        updated.getMetadata().getLabels(),
        updated.getMetadata().getAnnotations());
  }
}
