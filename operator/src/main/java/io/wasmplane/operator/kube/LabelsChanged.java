package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/** Lets a Pod update through only when its labels changed: they are all a proxy takes from it. */
public final class LabelsChanged implements OnUpdateFilter<Pod> {
  @Override
  public boolean accept(Pod updated, Pod old) {
    return !Objects.equals(updated.getMetadata().getLabels(), old.getMetadata().getLabels());
  }
}
