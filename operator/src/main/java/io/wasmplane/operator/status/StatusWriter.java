package io.wasmplane.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wasmplane.operator.concurrent.Debouncer;
import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.kube.CachedPlugin;
import io.wasmplane.operator.kube.KubernetesConfigSource;
import io.wasmplane.operator.kube.ProxyCounts;
import io.wasmplane.operator.kube.ProxyTally;
import io.wasmplane.operator.kube.ReplicaReports;
import io.wasmplane.operator.kube.StatusLeader;
import io.wasmplane.operator.plan.AppliedConfig;
import io.wasmplane.operator.plan.ControlPlane;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.ExtensionOffer;
import io.wasmplane.xds.XdsServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each WasmPlugin's and TrafficExtension's {@link PluginStatus} when it changed, only while
 * this replica holds the status lease, and only for the generation the applied configuration read.
 * Proxy counts cover every replica: this one's sessions plus the others' {@link ReplicaReports}.
 */
public final class StatusWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final KubernetesConfigSource source;
  private final ControlPlane controlPlane;
  private final XdsServer xds;
  private final StatusLeader leader;
  private final ReplicaReports reports;
  private final ConditionEvents events;
  private final Debouncer passes =
      new Debouncer("status-writer", Duration.ofMillis(300), this::sync);

  public StatusWriter(
      KubernetesClient client,
      KubernetesConfigSource source,
      ControlPlane controlPlane,
      XdsServer xds,
      StatusLeader leader,
      ReplicaReports reports,
      ConditionEvents events) {
    this.client = client;
    this.source = source;
    this.controlPlane = controlPlane;
    this.xds = xds;
    this.leader = leader;
    this.reports = reports;
    this.events = events;
  }

  /** Schedules a status pass soon; bursts of changes collapse into one. */
  public void changed() {
    passes.poke();
  }

  private void sync() {
    if (!leader.leading()) {
      return;
    }
    AppliedConfig config = controlPlane.applied();
    Map<PluginRef, PluginSpec> accepted = new HashMap<>();
    config.state().plugins().forEach(p -> accepted.put(p.ref(), p));
    Map<String, List<ConfigProblem>> problems =
        config.problems().stream().collect(Collectors.groupingBy(ConfigProblem::resource));
    Map<String, ProxyCounts> counts = ProxyTally.of(xds.sessions());
    reports.others().forEach((name, other) -> counts.merge(name, other, ProxyCounts::plus));
    Map<PluginRef, Long> applied = config.generations();
    for (CachedPlugin cached : source.plugins()) {
      GenericKubernetesResource resource = cached.resource();
      PluginRef ref = cached.ref();
      Long generation = resource.getMetadata().getGeneration();
      if (!Objects.equals(applied.get(ref), generation)) {
        continue; // the applied configuration has not caught up; its pass comes once it has
      }
      long observed = generation == null ? 0 : generation;
      // An invalid update is reported as invalid, though its last valid version keeps serving.
      List<ConfigProblem> invalid = problems.get(ref.kind().describe(ref.namespace(), ref.name()));
      PluginSpec plugin = invalid == null ? accepted.get(ref) : null;
      try {
        write(
            resource,
            plugin == null
                ? PluginStatus.invalid(observed, invalid)
                : status(observed, plugin, config, counts));
      } catch (KubernetesClientException e) {
        LOG.debug("status of {} not written ({}); will retry", ref, e.getCode());
        changed();
      } catch (RuntimeException e) {
        LOG.warn("status of {} not written: {}", ref, e.toString());
      }
    }
  }

  /** Reads what {@link PluginStatus#of} needs about an accepted plugin. */
  private PluginStatus status(
      long generation, PluginSpec plugin, AppliedConfig config, Map<String, ProxyCounts> counts) {
    ExtensionOffer offer = config.offer(plugin.ref());
    return PluginStatus.of(
        generation,
        plugin,
        config.state().modules().get(plugin.ref()),
        offer != null && offer.good() != null,
        counts.getOrDefault(plugin.ref().ecdsName(), ProxyCounts.NONE));
  }

  private void write(GenericKubernetesResource resource, PluginStatus status) {
    JsonNode current = JSON.valueToTree(resource.getAdditionalProperties().get("status"));
    ObjectNode desired = status.toJson(current, Instant.now());
    if (desired.equals(current)) {
      return;
    }
    GenericKubernetesResource copy =
        JSON.convertValue(JSON.valueToTree(resource), GenericKubernetesResource.class);
    copy.setAdditionalProperty("status", JSON.convertValue(desired, Map.class));
    client.resource(copy).updateStatus();
    events.record(resource, current, status);
    LOG.info(
        "status of {} {}/{}: {}",
        resource.getKind(),
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        status.summary());
  }

  @Override
  public void close() {
    passes.close();
  }
}
