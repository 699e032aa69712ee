package io.wasmplane.operator.kube;

import io.istio.extensions.v1alpha1.WasmPlugin;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Lets a WasmPlugin update through to the reconciler when its spec ({@code metadata.generation}),
 * labels or annotations changed. Status writes and resync-only updates are dropped. Labels and
 * annotations count because an {@code Always} pull policy pulls again when they change.
 */
public final class SpecOrMetadataChanged implements OnUpdateFilter<WasmPlugin> {
  @Override
  public boolean accept(WasmPlugin updated, WasmPlugin old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(updated.getMetadata().getLabels(), old.getMetadata().getLabels())
        || !Objects.equals(
            updated.getMetadata().getAnnotations(), old.getMetadata().getAnnotations());
  }
}
