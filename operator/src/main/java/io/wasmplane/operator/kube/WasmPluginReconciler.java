package io.wasmplane.operator.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.istio.extensions.v1alpha1.WasmPlugin;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
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
 * Reconciles each WasmPlugin into a {@link PluginReading}: its validated spec and the pull Secret
 * it names, read from the Secret informer. A changed Secret reconciles exactly the plugins that
 * name it, through {@link PullSecretIndex}. Deletions are reconciled too (no finalizer), so a
 * deleted plugin leaves the configuration. Status is not written here: it depends on what proxies
 * ACK, and only the lease holder writes it.
 */
@ControllerConfiguration(
    name = WasmPluginReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true,
    informer = @Informer(onUpdateFilter = SpecOrMetadataChanged.class))
public final class WasmPluginReconciler implements Reconciler<WasmPlugin> {
  static final String NAME = "wasmplugins";
  static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
  private static final Logger LOG = LoggerFactory.getLogger(WasmPluginReconciler.class);

  private final ReconciledPlugins plugins;
  private final KubernetesSerialization serialization;
  private final Map<ResourceID, AtomicLong> reconciles = new ConcurrentHashMap<>();
  private volatile IndexerResourceCache<WasmPlugin> cache;

  WasmPluginReconciler(ReconciledPlugins plugins, KubernetesSerialization serialization) {
    this.plugins = plugins;
    this.serialization = serialization;
  }

  @Override
  public List<EventSource<?, WasmPlugin>> prepareEventSources(
      EventSourceContext<WasmPlugin> context) {
    IndexerResourceCache<WasmPlugin> primary = context.getPrimaryCache();
    primary.addIndexer(PullSecretIndex.NAME, PullSecretIndex::keys);
    this.cache = primary;
    plugins.expect(primary::keys);
    InformerEventSourceConfiguration<Secret> secrets =
        InformerEventSourceConfiguration.from(Secret.class, WasmPlugin.class)
            .withName("pull-secrets")
            .withNamespacesInheritedFromController()
            .withFieldSelector(
                new FieldSelector(new FieldSelector.Field("type", DOCKER_CONFIG_JSON)))
            .withSecondaryToPrimaryMapper(
                secret ->
                    PullSecretIndex.pluginsUsing(
                        secret, key -> primary.byIndex(PullSecretIndex.NAME, key)))
            .withPrimaryToSecondaryMapper(
                (WasmPlugin plugin) ->
                    PullSecretIndex.secretOf(plugin).map(Set::of).orElse(Set.of()))
            .build();
    return List.of(new InformerEventSource<>(secrets, context));
  }

  @Override
  public UpdateControl<WasmPlugin> reconcile(WasmPlugin plugin, Context<WasmPlugin> context) {
    ResourceID id = ResourceID.fromResource(plugin);
    if (context.isPrimaryResourceDeleted()) {
      reconciles.remove(id);
      plugins.remove(id);
      LOG.debug("WasmPlugin {} deleted", id);
      return UpdateControl.noUpdate();
    }
    reconciles.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
    Secret secret = context.getSecondaryResource(Secret.class).orElse(null);
    PluginReading reading;
    try {
      reading = PluginReading.read(serialization.convertValue(plugin, JsonNode.class), secret);
    } catch (RuntimeException e) {
      // Never leave a plugin without a reading: the first configuration waits for every one.
      reading =
          PluginReading.unreadable(
              id.getNamespace().orElse("") + "/" + id.getName(),
              plugin.getMetadata().getGeneration() == null
                  ? 0
                  : plugin.getMetadata().getGeneration(),
              e.toString());
    }
    PluginReading previous = plugins.put(id, reading);
    if (!reading.problems().isEmpty()
        && (previous == null || !previous.problems().equals(reading.problems()))) {
      reading.problems().forEach(problem -> LOG.warn("invalid: {}", problem));
    }
    LOG.debug(
        "reconciled WasmPlugin {} at generation {}", id, plugin.getMetadata().getGeneration());
    return UpdateControl.noUpdate();
  }

  /** The WasmPlugins in the informer cache. */
  Stream<WasmPlugin> cached() {
    IndexerResourceCache<WasmPlugin> current = cache;
    return current == null ? Stream.empty() : current.list();
  }

  /** How often each live plugin was reconciled, by {@code namespace/name}. */
  Map<String, Long> reconcileCounts() {
    Map<String, Long> counts = new TreeMap<>();
    reconciles.forEach(
        (id, count) -> counts.put(id.getNamespace().orElse("") + "/" + id.getName(), count.get()));
    return counts;
  }
}
