package io.wasmplane.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.wasmplane.xds.InvalidNodeException;
import io.wasmplane.xds.ProxyCaller;
import io.wasmplane.xds.ProxyIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins that a proxy's token must be for the Pod running under its node id now, by UID. */
class PodAdmissionTest {
  private final PodCache pods = new PodCache();
  private final PodAdmission admission = new PodAdmission(proxy -> null, Duration.ofMillis(50));

  /** The Pod cache the informer would give, as a map. */
  static final class PodCache implements IndexerResourceCache<Pod> {
    final Map<ResourceID, Pod> pods = new ConcurrentHashMap<>();

    void add(Pod pod) {
      pods.put(ResourceID.fromResource(pod), pod);
    }

    @Override
    public Optional<Pod> get(ResourceID id) {
      return Optional.ofNullable(pods.get(id));
    }

    @Override
    public Stream<ResourceID> keys() {
      return pods.keySet().stream();
    }

    @Override
    public Stream<Pod> list(Predicate<Pod> predicate) {
      return pods.values().stream().filter(predicate);
    }

    @Override
    public Stream<Pod> list(String namespace, Predicate<Pod> predicate) {
      return list(pod -> namespace.equals(pod.getMetadata().getNamespace()) && predicate.test(pod));
    }

    @Override
    public List<Pod> byIndex(String index, String key) {
      return List.of();
    }

    @Override
    public void addIndexers(Map<String, Function<Pod, List<String>>> indexers) {}
  }

  PodAdmissionTest() {
    pods.add(PodLabelStoreTest.fullPod("shop", "web-1"));
    admission.cache(pods);
  }

  private static ProxyIdentity claimed(String pod, String namespace) {
    return new ProxyIdentity(
        pod + "." + namespace, pod, namespace, Map.of("app", "claimed"), List.of());
  }

  @ParameterizedTest(name = "caller uid {0}")
  @CsvSource(
      nullValues = "NULL",
      value = {"uid-web-1", "NULL"})
  void aCallerForTheRunningPodOrWithoutUidIsAdmittedWithThePodsLabels(String uid) throws Exception {
    ProxyIdentity admitted =
        admission.admit(claimed("web-1", "shop"), ProxyCaller.pod("shop", "web-1", uid, null));

    assertThat(admitted.labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("app", "web", "version", "v1"));
  }

  @Test
  void anAnonymousCallerIsAdmitted() throws Exception {
    assertThat(admission.admit(claimed("web-1", "shop"), ProxyCaller.ANONYMOUS).labels())
        .containsEntry("app", "web");
  }

  @Test
  void aTokenOfAnEarlierPodOfTheSameNameIsRefused() {
    InvalidNodeException refusal =
        catchThrowableOfType(
            InvalidNodeException.class,
            () ->
                admission.admit(
                    claimed("web-1", "shop"), ProxyCaller.pod("shop", "web-1", "uid-old", null)));

    assertThat(refusal)
        .hasMessage(
            "the token was issued for an earlier Pod shop/web-1 (uid uid-old), not the one"
                + " running now (uid uid-web-1)");
    assertThat(refusal.code()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void anUnknownPodIsRefusedAfterTheHoldWhateverTheCaller() {
    InvalidNodeException refusal =
        catchThrowableOfType(
            InvalidNodeException.class,
            () ->
                admission.admit(
                    claimed("web-2", "shop"), ProxyCaller.pod("shop", "web-2", "uid-2", null)));

    assertThat(refusal).hasMessageStartingWith("no Pod shop/web-2 for node.id web-2.shop");
    assertThat(refusal.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }
}
