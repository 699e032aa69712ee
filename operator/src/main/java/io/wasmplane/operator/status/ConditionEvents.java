package io.wasmplane.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wasmplane.crd.Conditions;
import io.wasmplane.operator.status.PluginStatus.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a Kubernetes Event on a WasmPlugin or TrafficExtension for each condition change worth
 * telling a person.
 */
public final class ConditionEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ConditionEvents.class);

  private final KubernetesClient client;

  public ConditionEvents(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The conditions of {@code after} that deserve an Event: those whose status changed from {@code
   * before}, except to {@code Unknown}, except a first {@code True}, and except {@code
   * Accepted=True}. A {@code True} one is a Normal Event, any other a Warning.
   *
   * @param before the status on the resource before the write (missing or null when there was none)
   */
  static List<Condition> worthAnEvent(JsonNode before, PluginStatus after) {
    return after.conditions().stream()
        .filter(c -> !(c.type().equals(Conditions.ACCEPTED) && c.status().equals("True")))
        .filter(
            c -> {
              String old = previousStatus(before, c.type());
              String now = c.status();
              return !(now.equals(old)
                  || now.equals("Unknown")
                  || (old.isEmpty() && now.equals("True")));
            })
        .toList();
  }

  private static String previousStatus(JsonNode before, String type) {
    String old = "";
    if (before == null) {
      return old;
    }
    for (JsonNode previous : before.path("conditions")) {
      if (previous.path("type").asText().equals(type)) {
        old = previous.path("status").asText();
      }
    }
    return old;
  }

  /**
   * Records the Events for the change from {@code before} to {@code after}; failures are logged.
   */
  public void record(GenericKubernetesResource resource, JsonNode before, PluginStatus after) {
    for (Condition condition : worthAnEvent(before, after)) {
      try {
        client
            .v1()
            .events()
            .inNamespace(resource.getMetadata().getNamespace())
            .resource(event(resource, condition))
            .create();
      } catch (KubernetesClientException e) {
        LOG.debug(
            "event for {} not recorded: {}", resource.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private static Event event(GenericKubernetesResource resource, Condition condition) {
    String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName(resource.getMetadata().getName() + ".")
        .withNamespace(resource.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(resource.getApiVersion())
        .withKind(resource.getKind())
        .withName(resource.getMetadata().getName())
        .withNamespace(resource.getMetadata().getNamespace())
        .withUid(resource.getMetadata().getUid())
        .endInvolvedObject()
        .withType(condition.status().equals("True") ? "Normal" : "Warning")
        .withReason(condition.reason())
        .withMessage(condition.type() + ": " + condition.message())
        .withNewSource()
        .withComponent("wasmplane")
        .endSource()
        .withFirstTimestamp(timestamp)
        .withLastTimestamp(timestamp)
        .withCount(1)
        .build();
  }
}
