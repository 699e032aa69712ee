package io.wasmplane.operator.kube;

import io.istio.extensions.v1alpha1.WasmPlugin;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.wasmplane.operator.plugin.PullTrigger;

/**
 * Lets a WasmPlugin update through to the reconciler when {@link PullTrigger} says it can matter:
 * its spec, labels or annotations changed. Status writes and resync-only updates are dropped.
 */
public final class SpecOrMetadataChanged implements OnUpdateFilter<WasmPlugin> {
  @Override
  public boolean accept(WasmPlugin updated, WasmPlugin old) {
    return PullTrigger.changed(
        old.getMetadata().getGeneration(),
        old.getMetadata().getLabels(),
        old.getMetadata().getAnnotations(),
        updated.getMetadata().getGeneration(),
        updated.getMetadata().getLabels(),
        updated.getMetadata().getAnnotations());
  }
}
