package io.wasmplane.operator.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wasmplane.crd.Conditions;
import io.wasmplane.operator.concurrent.Debouncer;
import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.plan.ControlPlane;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.WasmExtension;
import io.wasmplane.xds.XdsServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each WasmPlugin's status (conditions Accepted, ModuleReady and Programmed, digests, proxy
 * counts, last NACK) when it changed, and only while this replica holds the status lease. Proxy
 * counts cover every replica: this one's sessions plus the others' {@link ReplicaReports}.
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
  private final Debouncer passes =
      new Debouncer("status-writer", Duration.ofMillis(300), this::sync);

  public StatusWriter(
      KubernetesClient client,
      KubernetesConfigSource source,
      ControlPlane controlPlane,
      XdsServer xds,
      StatusLeader leader,
      ReplicaReports reports) {
    this.client = client;
    this.source = source;
    this.controlPlane = controlPlane;
    this.xds = xds;
    this.leader = leader;
    this.reports = reports;
  }

  /** Schedules a status pass soon; bursts of changes collapse into one. */
  public void changed() {
    passes.poke();
  }

  private void sync() {
    if (!leader.leading()) {
      return;
    }
    Map<PluginRef, PluginSpec> accepted = new HashMap<>();
    controlPlane.planner().state().plugins().forEach(p -> accepted.put(p.ref(), p));
    Map<String, List<ConfigProblem>> problems =
        controlPlane.problems().stream().collect(Collectors.groupingBy(ConfigProblem::resource));
    Map<String, ProxyCounts> counts = ProxyTally.of(xds.sessions());
    reports.others().forEach((name, other) -> counts.merge(name, other, ProxyCounts::plus));
    Map<PluginRef, Long> applied = controlPlane.generations();
    for (GenericKubernetesResource resource : source.wasmPlugins()) {
      PluginRef ref =
          new PluginRef(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
      if (!Objects.equals(applied.get(ref), resource.getMetadata().getGeneration())) {
        continue; // the applied configuration has not caught up; its pass comes once it has
      }
      try {
        write(
            resource,
            desired(resource, accepted.get(ref), problems.get("WasmPlugin " + ref), counts));
      } catch (KubernetesClientException e) {
        LOG.debug("status of {} not written ({}); will retry", ref, e.getCode());
        changed();
      } catch (RuntimeException e) {
        LOG.warn("status of {} not written: {}", ref, e.toString());
      }
    }
  }

  private ObjectNode desired(
      GenericKubernetesResource resource,
      PluginSpec plugin,
      List<ConfigProblem> problems,
      Map<String, ProxyCounts> counts) {
    long generation =
        resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    JsonNode previous = JSON.valueToTree(resource.getAdditionalProperties().get("status"));
    ObjectNode status = JSON.createObjectNode();
    ConditionList conditions =
        new ConditionList(status.putArray("conditions"), previous, generation);
    if (plugin == null) {
      String why =
          problems == null
              ? "not accepted"
              : problems.stream()
                  .map(p -> p.field() + ": " + p.message())
                  .collect(Collectors.joining("; "));
      conditions.add(Conditions.ACCEPTED, "False", "Invalid", why);
      conditions.add(Conditions.MODULE_READY, "Unknown", "NotAccepted", "the spec is invalid");
      conditions.add(Conditions.PROGRAMMED, "False", "NotAccepted", "the spec is invalid");
      status.put("observedGeneration", generation);
      return status;
    }
    if (plugin.targetRefs()) {
      conditions.add(
          Conditions.ACCEPTED,
          "False",
          "TargetRefNotSupported",
          "targetRef and targetRefs are not supported yet; use selector");
    } else {
      conditions.add(Conditions.ACCEPTED, "True", "Valid", "the spec is valid");
    }
    ModuleStatus module = controlPlane.planner().state().modules().get(plugin.ref());
    if (module instanceof ModuleStatus.Ready ready) {
      String message =
          ready.moduleDigest() == null
              ? "module is inside the proxy (" + plugin.url().rest() + ")"
              : "fetched and verified, sha256:" + ready.moduleDigest();
      if (ready.note() != null) {
        message += "; " + ready.note();
      }
      conditions.add(
          Conditions.MODULE_READY,
          "True",
          plugin.url().isFile() ? "LocalFile" : "Fetched",
          message);
      if (ready.moduleDigest() != null) {
        status.put("moduleDigest", ready.moduleDigest());
      }
      if (ready.imageDigest() != null) {
        status.put("imageDigest", ready.imageDigest());
      }
    } else if (module instanceof ModuleStatus.Failed failed) {
      conditions.add(Conditions.MODULE_READY, "False", failed.reason(), failed.message());
    } else {
      conditions.add(Conditions.MODULE_READY, "Unknown", "Fetching", "the module is being fetched");
    }
    ProxyCounts proxyCounts =
        counts.getOrDefault(
            WasmExtension.resourceName(plugin.namespace(), plugin.name()), ProxyCounts.NONE);
    int selected = proxyCounts.selected();
    int acked = proxyCounts.acked();
    int nacked = proxyCounts.nacked();
    String lastNack = proxyCounts.lastNack();
    ObjectNode proxies = status.putObject("proxies");
    proxies.put("selected", selected).put("acked", acked).put("nacked", nacked);
    if (lastNack != null) {
      status.put("lastNackMessage", lastNack);
    }
    if (plugin.targetRefs()) {
      conditions.add(
          Conditions.PROGRAMMED, "False", "NotAccepted", "targetRefs are not supported yet");
    } else if (module instanceof ModuleStatus.Failed) {
      conditions.add(
          Conditions.PROGRAMMED,
          "False",
          "ModuleUnavailable",
          (controlPlane.planner().offer(plugin.ref()) != null
                      && controlPlane.planner().offer(plugin.ref()).good() != null
                  ? "the last verified version keeps running"
                  : plugin.failStrategy().standInDescription() + " runs in its place")
              + " on "
              + selected
              + " proxies");
    } else if (module instanceof ModuleStatus.Pending) {
      conditions.add(Conditions.PROGRAMMED, "Unknown", "Pending", "waiting for the module");
    } else if (nacked > 0) {
      conditions.add(
          Conditions.PROGRAMMED,
          "False",
          "Rejected",
          nacked + " of " + selected + " proxies rejected it: " + lastNack);
    } else if (acked == selected) {
      conditions.add(
          Conditions.PROGRAMMED,
          "True",
          "Programmed",
          selected == 0
              ? "no connected proxy selects it"
              : "running on " + acked + " of " + selected + " proxies");
    } else {
      conditions.add(
          Conditions.PROGRAMMED,
          "Unknown",
          "Pending",
          "acknowledged by " + acked + " of " + selected + " proxies");
    }
    status.put("observedGeneration", generation);
    return status;
  }

  /** The conditions being built, keeping each one's transition time while its status holds. */
  private record ConditionList(ArrayNode array, JsonNode previous, long generation) {
    void add(String type, String value, String reason, String message) {
      array.add(condition(previous, type, value, reason, message, generation));
    }
  }

  private static ObjectNode condition(
      JsonNode previous,
      String type,
      String value,
      String reason,
      String message,
      long generation) {
    String since = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    for (JsonNode old : previous.path("conditions")) {
      if (old.path("type").asText().equals(type) && old.path("status").asText().equals(value)) {
        since = old.path("lastTransitionTime").asText(since);
      }
    }
    return JSON.createObjectNode()
        .put("type", type)
        .put("status", value)
        .put("reason", reason)
        .put("message", message)
        .put("lastTransitionTime", since)
        .put("observedGeneration", generation);
  }

  private void write(GenericKubernetesResource resource, ObjectNode status) {
    JsonNode current = JSON.valueToTree(resource.getAdditionalProperties().get("status"));
    if (status.equals(current)) {
      return;
    }
    GenericKubernetesResource copy =
        JSON.convertValue(JSON.valueToTree(resource), GenericKubernetesResource.class);
    copy.setAdditionalProperty("status", JSON.convertValue(status, Map.class));
    client.resource(copy).updateStatus();
    recordTransitions(resource, current, status);
    LOG.info(
        "status of {}/{}: {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        summary(status));
  }

  /** Records an Event for each ModuleReady or Programmed condition that changed its status. */
  private void recordTransitions(
      GenericKubernetesResource resource, JsonNode before, ObjectNode after) {
    for (JsonNode condition : after.path("conditions")) {
      String type = condition.path("type").asText();
      if (type.equals(Conditions.ACCEPTED) && condition.path("status").asText().equals("True")) {
        continue;
      }
      String old = "";
      for (JsonNode previous : before.path("conditions")) {
        if (previous.path("type").asText().equals(type)) {
          old = previous.path("status").asText();
        }
      }
      String now = condition.path("status").asText();
      if (now.equals(old) || now.equals("Unknown") || (old.isEmpty() && now.equals("True"))) {
        continue;
      }
      try {
        String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        client
            .v1()
            .events()
            .inNamespace(resource.getMetadata().getNamespace())
            .resource(
                new io.fabric8.kubernetes.api.model.EventBuilder()
                    .withNewMetadata()
                    .withGenerateName(resource.getMetadata().getName() + ".")
                    .withNamespace(resource.getMetadata().getNamespace())
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(resource.getApiVersion())
                    .withKind("WasmPlugin")
                    .withName(resource.getMetadata().getName())
                    .withNamespace(resource.getMetadata().getNamespace())
                    .withUid(resource.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(now.equals("True") ? "Normal" : "Warning")
                    .withReason(condition.path("reason").asText())
                    .withMessage(type + ": " + condition.path("message").asText())
                    .withNewSource()
                    .withComponent("wasmplane")
                    .endSource()
                    .withFirstTimestamp(timestamp)
                    .withLastTimestamp(timestamp)
                    .withCount(1)
                    .build())
            .create();
      } catch (KubernetesClientException e) {
        LOG.debug(
            "event for {} not recorded: {}", resource.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private static String summary(ObjectNode status) {
    List<String> parts = new ArrayList<>();
    status
        .path("conditions")
        .forEach(
            c ->
                parts.add(
                    c.path("type").asText()
                        + "="
                        + c.path("status").asText()
                        + "("
                        + c.path("reason").asText()
                        + ")"));
    return String.join(" ", parts);
  }

  @Override
  public void close() {
    passes.close();
  }
}
