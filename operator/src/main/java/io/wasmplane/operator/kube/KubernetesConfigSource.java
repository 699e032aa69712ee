package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.wasmplane.operator.config.ConfigSnapshot;
import io.wasmplane.operator.plugin.PluginKind;
import io.wasmplane.operator.plugin.PluginRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes config source: a Java Operator SDK operator running the WasmPlugin and
 * TrafficExtension reconcilers (with pull Secrets as their secondary resources) and the Pod
 * reconciler. Every replica runs them all; they read only through informers. Each change in the
 * reconciled plugins of either kind reaches the consumer as one configuration after a short
 * debounce. Without the TrafficExtension CRD at start, they are read once it is installed, through
 * {@link LateTrafficExtensions}; without the right to read them, the source does not start.
 */
public final class KubernetesConfigSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesConfigSource.class);

  private final List<String> namespaces;
  private final ReconciledPlugins readings;
  private final KubernetesSerialization serialization;
  private final List<PluginReconciler<?>> reconcilers = new CopyOnWriteArrayList<>();
  private final Operator operator;
  private final LateTrafficExtensions late;

  /**
   * Reads WasmPlugins and TrafficExtensions in {@code namespaces} (every namespace when empty) and
   * Pods everywhere, for {@code pods}.
   */
  public KubernetesConfigSource(
      KubernetesClient client,
      List<String> namespaces,
      Consumer<ConfigSnapshot> consumer,
      PodReconciler pods) {
    this.namespaces = List.copyOf(namespaces);
    this.readings = new ReconciledPlugins(consumer, Duration.ofMillis(100));
    this.serialization = client.getKubernetesSerialization();
    this.operator = operator(client);
    this.late =
        new LateTrafficExtensions(
            client,
            this.namespaces,
            () -> new TrafficExtensionReconciler(readings, serialization),
            reconciler -> register(operator(client), reconciler),
            reconcilers::add);
    reconcilers.add(new WasmPluginReconciler(readings, serialization));
    TrafficExtensionAccess access = TrafficExtensionAccess.check(client, this.namespaces);
    switch (access) {
      case READABLE -> reconcilers.add(new TrafficExtensionReconciler(readings, serialization));
      case NO_CRD -> late.lookAfter(access.reason());
      case FORBIDDEN ->
          // Serving without the TrafficExtensions that exist would drop them from every proxy.
          throw new IllegalStateException("cannot read TrafficExtensions: " + access.reason());
    }
    reconcilers.forEach(reconciler -> register(operator, reconciler));
    operator.register(pods, o -> o.watchingAllNamespaces());
  }

  /** Starts the reconcilers; returns once their informers have synced. */
  public KubernetesConfigSource start() {
    operator.start();
    readings.started();
    return this;
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

  /**
   * Registers {@code reconciler} with {@code into}, on the watched namespaces; returns {@code
   * into}.
   */
  private Operator register(Operator into, PluginReconciler<?> reconciler) {
    into.register(
        reconciler,
        o -> {
          if (namespaces.isEmpty()) {
            o.watchingAllNamespaces();
          } else {
            o.settingNamespaces(Set.copyOf(namespaces));
          }
        });
    return into;
  }

  /**
   * The WasmPlugin and TrafficExtension objects in the informer caches, for status. They pass
   * through JSON text so their numbers read back as the apiserver's JSON does.
   */
  public List<CachedPlugin> plugins() {
    return reconcilers.stream().flatMap(this::cached).toList();
  }

  private Stream<CachedPlugin> cached(PluginReconciler<?> reconciler) {
    return reconciler
        .cached()
        .map(
            p ->
                new CachedPlugin(
                    new PluginRef(
                        reconciler.kind(),
                        p.getMetadata().getNamespace(),
                        p.getMetadata().getName()),
                    serialization.unmarshal(
                        serialization.asJson(p), GenericKubernetesResource.class)));
  }

  /** How often each live plugin was reconciled, by kind, then by {@code namespace/name}. */
  public Map<PluginKind, Map<String, Long>> reconcileCounts() {
    Map<PluginKind, Map<String, Long>> counts = new TreeMap<>();
    reconcilers.forEach(r -> counts.put(r.kind(), r.reconcileCounts()));
    return counts;
  }

  @Override
  public void close() {
    late.close();
    operator.stop();
    readings.close();
  }
}
