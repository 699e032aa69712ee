package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.istio.extensions.v1alpha1.TrafficExtension;
import io.javaoperatorsdk.operator.Operator;
import io.wasmplane.operator.config.ConfigSnapshot;
import io.wasmplane.operator.plugin.PluginKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes config source: a Java Operator SDK operator running the WasmPlugin and
 * TrafficExtension reconcilers (with pull Secrets as their secondary resources) and the Pod
 * reconciler. Every replica runs them all; they read only through informers. Each change in the
 * reconciled plugins of either kind reaches the consumer as one configuration after a short
 * debounce. TrafficExtensions are read when the apiserver serves their CRD at start.
 */
public final class KubernetesConfigSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesConfigSource.class);

  private final ReconciledPlugins readings;
  private final List<PluginReconciler<?>> reconcilers = new ArrayList<>();
  private final Operator operator;
  private final KubernetesSerialization serialization;

  /**
   * Reads WasmPlugins and TrafficExtensions in {@code namespaces} (every namespace when empty) and
   * Pods everywhere, for {@code pods}.
   */
  public KubernetesConfigSource(
      KubernetesClient client,
      List<String> namespaces,
      Consumer<ConfigSnapshot> consumer,
      PodReconciler pods) {
    this.readings = new ReconciledPlugins(consumer, Duration.ofMillis(100));
    this.serialization = client.getKubernetesSerialization();
    this.operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .checkingCRDAndValidateLocalModel(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withConcurrentReconciliationThreads(4)
                    .withInformerStoppedHandler(
                        (informer, error) -> {
                          if (error != null) {
                            LOG.error("an informer stopped: {}", error.getMessage());
                          }
                        }));
    reconcilers.add(new WasmPluginReconciler(readings, serialization));
    if (client.supports(TrafficExtension.class)) {
      reconcilers.add(new TrafficExtensionReconciler(readings, serialization));
    } else {
      LOG.warn(
          "the apiserver does not serve TrafficExtensions (is their CRD installed?);"
              + " only WasmPlugins are read until the operator restarts with it");
    }
    for (PluginReconciler<?> reconciler : reconcilers) {
      operator.register(
          reconciler,
          o -> {
            if (namespaces.isEmpty()) {
              o.watchingAllNamespaces();
            } else {
              o.settingNamespaces(Set.copyOf(namespaces));
            }
          });
    }
    operator.register(pods, o -> o.watchingAllNamespaces());
  }

  /** Starts the reconcilers; returns once their informers have synced. */
  public KubernetesConfigSource start() {
    operator.start();
    readings.started();
    return this;
  }

  /**
   * The WasmPlugin and TrafficExtension objects in the informer caches, for status. They pass
   * through JSON text so their numbers read back as the apiserver's JSON does.
   */
  public List<GenericKubernetesResource> plugins() {
    return reconcilers.stream()
        .<HasMetadata>flatMap(PluginReconciler::cached)
        .map(p -> serialization.unmarshal(serialization.asJson(p), GenericKubernetesResource.class))
        .toList();
  }

  /** How often each live plugin was reconciled, by kind, then by {@code namespace/name}. */
  public Map<PluginKind, Map<String, Long>> reconcileCounts() {
    Map<PluginKind, Map<String, Long>> counts = new TreeMap<>();
    reconcilers.forEach(r -> counts.put(r.kind(), r.reconcileCounts()));
    return counts;
  }

  @Override
  public void close() {
    operator.stop();
    readings.close();
  }
}
