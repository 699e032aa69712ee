package io.wasmplane.operator.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.wasmplane.operator.plugin.PluginKind;
import io.wasmplane.operator.plugin.PluginRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles each plugin resource of one kind into a {@link PluginReading}: its validated spec and
 * the pull Secret it names, read from the Secret informer. A changed Secret reconciles exactly the
 * plugins that name it, through {@link PullSecretIndex}. Deletions are reconciled too (no
 * finalizer), so a deleted plugin leaves the configuration. Status is not written here: it depends
 * on what proxies ACK, and only the lease holder writes it.
 *
 * @param <R> the resource class of the kind
 */
abstract class PluginReconciler<R extends HasMetadata> implements Reconciler<R> {
  static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
  private static final Logger LOG = LoggerFactory.getLogger(PluginReconciler.class);

  private final PluginKind kind;
  private final Class<R> type;
  private final PullSecretIndex<R> pullSecrets;
  private final ReconciledPlugins plugins;
  private final KubernetesSerialization serialization;
  private final Map<PluginRef, AtomicLong> reconciles = new ConcurrentHashMap<>();
  private volatile IndexerResourceCache<R> cache;
  private volatile Runnable unexpect = () -> {};

  PluginReconciler(
      PluginKind kind,
      Class<R> type,
      PullSecretIndex<R> pullSecrets,
      ReconciledPlugins plugins,
      KubernetesSerialization serialization) {
    this.kind = kind;
    this.type = type;
    this.pullSecrets = pullSecrets;
    this.plugins = plugins;
    this.serialization = serialization;
  }

  /** The kind this reconciler reads. */
  final PluginKind kind() {
    return kind;
  }

  /** How this kind's resources name their pull Secrets. */
  final PullSecretIndex<R> pullSecrets() {
    return pullSecrets;
  }

  @Override
  public final List<EventSource<?, R>> prepareEventSources(EventSourceContext<R> context) {
    IndexerResourceCache<R> primary = context.getPrimaryCache();
    primary.addIndexer(PullSecretIndex.NAME, pullSecrets::keys);
    this.cache = primary;
    unexpect = plugins.expect(() -> primary.list().map(this::ref));
    InformerEventSourceConfiguration<Secret> secrets =
        InformerEventSourceConfiguration.from(Secret.class, type)
            .withName(kind.segment() + "-pull-secrets")
            .withNamespacesInheritedFromController()
            .withFieldSelector(
                new FieldSelector(new FieldSelector.Field("type", DOCKER_CONFIG_JSON)))
            .withSecondaryToPrimaryMapper(
                secret ->
                    pullSecrets.pluginsUsing(
                        secret, key -> primary.byIndex(PullSecretIndex.NAME, key)))
            .withPrimaryToSecondaryMapper(
                (R plugin) -> pullSecrets.secretOf(plugin).map(Set::of).orElse(Set.of()))
            .build();
    return List.of(new InformerEventSource<>(secrets, context));
  }

  @Override
  public final UpdateControl<R> reconcile(R plugin, Context<R> context) {
    PluginRef ref = ref(plugin);
    if (context.isPrimaryResourceDeleted()) {
      reconciles.remove(ref);
      plugins.remove(ref);
      LOG.debug("{} deleted", describe(ref));
      return UpdateControl.noUpdate();
    }
    reconciles.computeIfAbsent(ref, k -> new AtomicLong()).incrementAndGet();
    Secret secret = context.getSecondaryResource(Secret.class).orElse(null);
    Long generation = plugin.getMetadata().getGeneration();
    PluginReading reading;
    try {
      reading =
          PluginReading.read(kind, serialization.convertValue(plugin, JsonNode.class), secret);
    } catch (RuntimeException e) {
      // Never leave a plugin without a reading: the first configuration waits for every one.
      reading =
          PluginReading.unreadable(
              describe(ref), generation == null ? 0 : generation, e.toString());
    }
    PluginReading previous = plugins.put(ref, reading);
    if (!reading.problems().isEmpty()
        && (previous == null || !previous.problems().equals(reading.problems()))) {
      reading.problems().forEach(problem -> LOG.warn("invalid: {}", problem));
    }
    LOG.debug("reconciled {} at generation {}", describe(ref), generation);
    return UpdateControl.noUpdate();
  }

  /** Stops the first configuration waiting for this reconciler, whose operator did not start. */
  final void forget() {
    unexpect.run();
  }

  /** The resources of this kind in the informer cache. */
  final Stream<R> cached() {
    IndexerResourceCache<R> current = cache;
    return current == null ? Stream.empty() : current.list();
  }

  /** How often each live resource of this kind was reconciled, by {@code namespace/name}. */
  final Map<String, Long> reconcileCounts() {
    Map<String, Long> counts = new TreeMap<>();
    reconciles.forEach((ref, count) -> counts.put(ref.namespace() + "/" + ref.name(), count.get()));
    return counts;
  }

  private PluginRef ref(R plugin) {
    return new PluginRef(kind, plugin.getMetadata().getNamespace(), plugin.getMetadata().getName());
  }

  private String describe(PluginRef ref) {
    return kind.describe(ref.namespace(), ref.name());
  }
}
