package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.wasmplane.operator.config.ConfigSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes config source: a Java Operator SDK operator running the WasmPlugin reconciler
 * (with pull Secrets as its secondary resources) and the Pod reconciler. Every replica runs both;
 * they read only through informers. Each change in the reconciled plugins reaches the consumer as
 * one configuration after a short debounce.
 */
public final class KubernetesConfigSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesConfigSource.class);

  private final ReconciledPlugins readings;
  private final WasmPluginReconciler plugins;
  private final Operator operator;
  private final KubernetesSerialization serialization;

  /**
   * Reads WasmPlugins in {@code namespaces} (every namespace when empty) and Pods everywhere, for
   * {@code pods}.
   */
  public KubernetesConfigSource(
      KubernetesClient client,
      List<String> namespaces,
      Consumer<ConfigSnapshot> consumer,
      PodReconciler pods) {
    this.readings = new ReconciledPlugins(consumer, Duration.ofMillis(100));
    this.plugins = new WasmPluginReconciler(readings, client.getKubernetesSerialization());
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
    operator.register(
        plugins,
        o -> {
          if (namespaces.isEmpty()) {
            o.watchingAllNamespaces();
          } else {
            o.settingNamespaces(Set.copyOf(namespaces));
          }
        });
    operator.register(pods, o -> o.watchingAllNamespaces());
  }

  /** Starts the reconcilers; returns once their informers have synced. */
  public KubernetesConfigSource start() {
    operator.start();
    readings.started();
    return this;
  }

  /**
   * The WasmPlugin objects in the informer cache, for status. They pass through JSON text so their
   * numbers read back as the apiserver's JSON does.
   */
  public List<GenericKubernetesResource> wasmPlugins() {
    return plugins
        .cached()
        .map(p -> serialization.unmarshal(serialization.asJson(p), GenericKubernetesResource.class))
        .toList();
  }

  /** How often each live WasmPlugin was reconciled, by {@code namespace/name}. */
  public Map<String, Long> reconcileCounts() {
    return plugins.reconcileCounts();
  }

  @Override
  public void close() {
    operator.stop();
    readings.close();
  }
}
