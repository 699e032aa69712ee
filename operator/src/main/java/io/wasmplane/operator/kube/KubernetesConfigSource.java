package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.istio.extensions.v1alpha1.TrafficExtension;
import io.javaoperatorsdk.operator.Operator;
import io.wasmplane.operator.concurrent.DaemonThreads;
import io.wasmplane.operator.config.ConfigSnapshot;
import io.wasmplane.operator.plugin.PluginKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes config source: a Java Operator SDK operator running the WasmPlugin and
 * TrafficExtension reconcilers (with pull Secrets as their secondary resources) and the Pod
 * reconciler. Every replica runs them all; they read only through informers. Each change in the
 * reconciled plugins of either kind reaches the consumer as one configuration after a short
 * debounce. TrafficExtensions are read once the apiserver serves their CRD, at start or later.
 */
public final class KubernetesConfigSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesConfigSource.class);

  private final ReconciledPlugins readings;
  private static final Duration CRD_LOOKUP = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final List<PluginReconciler<?>> reconcilers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService crdLookup =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("crd-lookup"));
  private Operator late;
  private boolean closed;
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
    this.client = client;
    this.namespaces = List.copyOf(namespaces);
    this.readings = new ReconciledPlugins(consumer, Duration.ofMillis(100));
    this.serialization = client.getKubernetesSerialization();
    this.operator = operator(client);
    register(operator, new WasmPluginReconciler(readings, serialization));
    if (client.supports(TrafficExtension.class)) {
      register(operator, new TrafficExtensionReconciler(readings, serialization));
    } else {
      LOG.warn(
          "the apiserver does not serve TrafficExtensions (is their CRD installed?);"
              + " they are read once it does, looked for every {} s",
          CRD_LOOKUP.toSeconds());
      crdLookup.scheduleWithFixedDelay(
          this::lookForTrafficExtensions,
          CRD_LOOKUP.toMillis(),
          CRD_LOOKUP.toMillis(),
          TimeUnit.MILLISECONDS);
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
   * Once the apiserver serves TrafficExtensions, reads them with an operator of their own (an
   * operator takes no reconciler once started).
   */
  private synchronized void lookForTrafficExtensions() {
    if (closed || late != null) {
      return;
    }
    try {
      if (!client.supports(TrafficExtension.class)) {
        return;
      }
      Operator extensions = operator(client);
      register(extensions, new TrafficExtensionReconciler(readings, serialization));
      extensions.start();
      late = extensions;
      LOG.info("the apiserver now serves TrafficExtensions; reading them");
      crdLookup.shutdown();
    } catch (RuntimeException e) {
      LOG.warn("looking for the TrafficExtension CRD failed: {}", e.getMessage());
    }
  }

  private static Operator operator(KubernetesClient client) {
    return new Operator(
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
  }

  private void register(Operator into, PluginReconciler<?> reconciler) {
    into.register(
        reconciler,
        o -> {
          if (namespaces.isEmpty()) {
            o.watchingAllNamespaces();
          } else {
            o.settingNamespaces(Set.copyOf(namespaces));
          }
        });
    reconcilers.add(reconciler);
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
    crdLookup.shutdownNow();
    synchronized (this) {
      closed = true;
      if (late != null) {
        late.stop();
      }
    }
    operator.stop();
    readings.close();
  }
}
