package io.wasmplane.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.wasmplane.operator.kube.PodLabelStore;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test: heap held by the operator's Pod cache for many sidecar-injected Pods, with
 * whole Pods as an informer keeps them and with {@link PodLabelStore}, which keeps identities only.
 * Run with {@code scripts/bench}; it prints its figures and writes them to {@code
 * bench/results/pod-cache-memory.txt}.
 */
class PodCacheMemoryBench {
  private static final int PODS = 20_000;

  @Test
  void measurePodCacheMemory() throws Exception {
    long whole = retained(() -> fill(new BasicItemStore<>(Cache::metaNamespaceKeyFunc)));
    long pruned = retained(() -> fill(new PodLabelStore()));
    String report =
        "pod cache memory, %d sidecar-injected Pods, %s%n%-24s %8d bytes/pod%n%-24s %8d bytes/pod%nratio %.1fx%n"
            .formatted(
                PODS,
                Instant.now(),
                "whole Pods",
                whole / PODS,
                "PodLabelStore",
                pruned / PODS,
                (double) whole / pruned);
    BenchResults.publish("pod-cache-memory.txt", report);
  }

  private static ItemStore<Pod> fill(ItemStore<Pod> store) {
    for (int i = 0; i < PODS; i++) {
      Pod pod = pod(i);
      store.put(store.getKey(pod), pod);
    }
    return store;
  }

  /** Heap still in use, after collection, once {@code build}'s result is built. */
  private static long retained(Supplier<Object> build) {
    long before = usedAfterGc();
    Object kept = build.get();
    long after = usedAfterGc();
    Reference.reachabilityFence(kept);
    return after - before;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** A Pod shaped like one from the apiserver: an app and a sidecar container, and its status. */
  private static Pod pod(int i) {
    String name = "web-" + i;
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("shop-" + (i % 50))
        .withName(name)
        .withUid("3f6b2c1e-0000-4000-8000-" + String.format("%012d", i))
        .withResourceVersion(Integer.toString(100_000 + i))
        .addToLabels("app", "web")
        .addToLabels("version", "v" + (i % 3))
        .addToLabels("pod-template-hash", "7d9f8c6b5" + (i % 10))
        .addToLabels("security.istio.io/tlsMode", "istio")
        .addToAnnotations("sidecar.istio.io/status", "{\"containers\":[\"istio-proxy\"]," + i + "}")
        .addToAnnotations("kubectl.kubernetes.io/restartedAt", "2026-11-20T10:00:00Z")
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("ReplicaSet")
        .withName("web-7d9f8c6b5" + (i % 10))
        .withUid("rs-" + (i % 10))
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName("web")
        .withNodeName("node-" + (i % 20))
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/shop/web:1.4." + (i % 7))
        .addNewPort()
        .withContainerPort(8080)
        .withName("http")
        .endPort()
        .addNewEnv()
        .withName("MODE")
        .withValue("production")
        .endEnv()
        .addNewEnv()
        .withName("POD_NAME")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.name")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewVolumeMount()
        .withName("kube-api-access-" + i)
        .withMountPath("/var/run/secrets/kubernetes.io/serviceaccount")
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewContainer()
        .withName("istio-proxy")
        .withImage("registry.example/proxyv2:1.40.0")
        .withArgs(
            "proxy", "sidecar", "--domain", "shop.svc.cluster.local", "--log_output_level=info")
        .addNewEnv()
        .withName("ISTIO_META_WORKLOAD_NAME")
        .withValue("web")
        .endEnv()
        .addNewEnv()
        .withName("ISTIO_META_CLUSTER_ID")
        .withValue("Kubernetes")
        .endEnv()
        .endContainer()
        .addNewVolume()
        .withName("kube-api-access-" + i)
        .withNewProjected()
        .addNewSource()
        .withNewServiceAccountToken()
        .withPath("token")
        .withExpirationSeconds(3607L)
        .endServiceAccountToken()
        .endSource()
        .endProjected()
        .endVolume()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP("10.1." + (i / 250) + "." + (i % 250))
        .withHostIP("192.168.0." + (i % 20))
        .withStartTime("2026-11-20T10:00:0" + (i % 10) + "Z")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withLastTransitionTime("2026-11-20T10:00:1" + (i % 10) + "Z")
        .endCondition()
        .addNewCondition()
        .withType("ContainersReady")
        .withStatus("True")
        .withLastTransitionTime("2026-11-20T10:00:1" + (i % 10) + "Z")
        .endCondition()
        .addNewContainerStatus()
        .withName("app")
        .withReady(true)
        .withRestartCount(0)
        .withImage("registry.example/shop/web:1.4." + (i % 7))
        .withImageID("registry.example/shop/web@sha256:" + String.format("%064d", i))
        .withContainerID("containerd://" + String.format("%064d", i))
        .endContainerStatus()
        .addNewContainerStatus()
        .withName("istio-proxy")
        .withReady(true)
        .withRestartCount(0)
        .withImage("registry.example/proxyv2:1.40.0")
        .withImageID("registry.example/proxyv2@sha256:" + String.format("%064d", i + 1))
        .withContainerID("containerd://" + String.format("%064d", i + 1))
        .endContainerStatus()
        .endStatus()
        .build();
  }
}
