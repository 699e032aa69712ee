package io.wasmplane.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodLabelStoreTest {
  static Pod fullPod(String namespace, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withUid("uid-" + name)
        .withResourceVersion("42")
        .withLabels(Map.of("app", "web", "version", "v1"))
        .withAnnotations(Map.of("sidecar.istio.io/status", "{\"containers\":[\"istio-proxy\"]}"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1")
        .addNewEnv()
        .withName("MODE")
        .withValue("production")
        .endEnv()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP("10.0.0.7")
        .endStatus()
        .build();
  }

  @Test
  void keepsOnlyTheIdentityOfAPod() {
    PodLabelStore store = new PodLabelStore();
    Pod pod = fullPod("shop", "web-1");
    store.put(store.getKey(pod), pod);

    Pod kept = store.get("shop/web-1");
    assertThat(kept.getMetadata().getName()).isEqualTo("web-1");
    assertThat(kept.getMetadata().getNamespace()).isEqualTo("shop");
    assertThat(kept.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "web", "version", "v1"));
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(kept.getMetadata().getUid()).isEqualTo("uid-web-1");
    assertThat(kept.getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(kept.getSpec()).isNull();
    assertThat(kept.getStatus()).isNull();
  }
}
