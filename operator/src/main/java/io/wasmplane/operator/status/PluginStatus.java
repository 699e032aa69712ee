package io.wasmplane.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wasmplane.crd.Conditions;
import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.kube.ProxyCounts;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plugin.PluginSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A WasmPlugin's or TrafficExtension's status (conditions Accepted, ModuleReady and Programmed,
 * digests, proxy counts, last NACK), computed from records alone: no I/O, and no clock but the one
 * passed to {@link #toJson}.
 *
 * @param conditions Accepted, ModuleReady and Programmed, in that order
 * @param moduleDigest hex SHA-256 of the module bytes, or null
 * @param imageDigest OCI manifest digest, or null
 * @param proxies how many proxies select, ACKed and NACKed the plugin (with the last NACK); null
 *     when the spec is invalid
 * @param observedGeneration the generation the status describes
 */
public record PluginStatus(
    List<Condition> conditions,
    String moduleDigest,
    String imageDigest,
    ProxyCounts proxies,
    long observedGeneration) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public PluginStatus {
    conditions = List.copyOf(conditions);
  }

  /**
   * One status condition, without its transition time.
   *
   * @param type {@link Conditions#ACCEPTED}, {@link Conditions#MODULE_READY} or {@link
   *     Conditions#PROGRAMMED}
   * @param status {@code True}, {@code False} or {@code Unknown}
   * @param reason a CamelCase reason
   * @param message for a person
   */
  public record Condition(String type, String status, String reason, String message) {}

  /**
   * The status of a plugin whose spec was not accepted.
   *
   * @param generation the generation that was read
   * @param problems what is wrong with it, or null when nothing was said
   */
  public static PluginStatus invalid(long generation, List<ConfigProblem> problems) {
    String why =
        problems == null
            ? "not accepted"
            : problems.stream()
                .map(p -> p.field() + ": " + p.message())
                .collect(Collectors.joining("; "));
    return new PluginStatus(
        List.of(
            new Condition(Conditions.ACCEPTED, "False", "Invalid", why),
            new Condition(Conditions.MODULE_READY, "Unknown", "NotAccepted", "the spec is invalid"),
            new Condition(Conditions.PROGRAMMED, "False", "NotAccepted", "the spec is invalid")),
        null,
        null,
        null,
        generation);
  }

  /**
   * The status of a plugin whose spec is valid.
   *
   * @param generation the generation that was read
   * @param plugin the plugin
   * @param module its module's state, or null when there is none yet
   * @param lastVerifiedServes whether a last verified version keeps serving in place of a module
   *     that failed
   * @param proxies the counts of every replica's proxies for this plugin, or null for none
   */
  public static PluginStatus of(
      long generation,
      PluginSpec plugin,
      ModuleStatus module,
      boolean lastVerifiedServes,
      ProxyCounts proxies) {
    ProxyCounts counts = Objects.requireNonNullElse(proxies, ProxyCounts.NONE);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(accepted(plugin));
    conditions.add(moduleReady(plugin, module));
    conditions.add(programmed(plugin, module, lastVerifiedServes, counts));
    String moduleDigest = null;
    String imageDigest = null;
    if (module instanceof ModuleStatus.Ready ready) {
      moduleDigest = ready.moduleDigest();
      imageDigest = ready.imageDigest();
    }
    return new PluginStatus(conditions, moduleDigest, imageDigest, counts, generation);
  }

  /**
   * Accepted: the spec is valid, and what it attaches to is supported. A plugin attached to Service
   * or ServiceEntry (waypoints) runs nowhere and says so.
   */
  private static Condition accepted(PluginSpec plugin) {
    if (plugin.unsupportedTarget() != null) {
      return new Condition(
          Conditions.ACCEPTED,
          "False",
          "TargetRefNotSupported",
          "targetRefs "
              + plugin.unsupportedTarget()
              + " is not supported: Wasmplane attaches plugins to kind Gateway and GatewayClass"
              + " of group gateway.networking.k8s.io (waypoints are not supported)");
    }
    if (!plugin.targetRefs().isEmpty()) {
      return new Condition(
          Conditions.ACCEPTED,
          "True",
          "Valid",
          "the spec is valid; attached to "
              + String.join(", ", plugin.targetRefs().stream().map(String::valueOf).toList()));
    }
    return new Condition(Conditions.ACCEPTED, "True", "Valid", "the spec is valid");
  }

  private static Condition moduleReady(PluginSpec plugin, ModuleStatus module) {
    if (plugin.lua() != null) {
      return new Condition(
          Conditions.MODULE_READY, "True", "InlineLua", "Lua code, carried in the resource");
    }
    if (module instanceof ModuleStatus.Ready ready) {
      String message =
          ready.moduleDigest() == null
              ? "module is inside the proxy (" + plugin.url().rest() + ")"
              : "fetched and verified, sha256:" + ready.moduleDigest();
      if (ready.note() != null) {
        message += "; " + ready.note();
      }
      return new Condition(
          Conditions.MODULE_READY,
          "True",
          plugin.url().isFile() ? "LocalFile" : "Fetched",
          message);
    }
    if (module instanceof ModuleStatus.Failed failed) {
      return new Condition(Conditions.MODULE_READY, "False", failed.reason(), failed.message());
    }
    return new Condition(
        Conditions.MODULE_READY, "Unknown", "Fetching", "the module is being fetched");
  }

  private static Condition programmed(
      PluginSpec plugin, ModuleStatus module, boolean lastVerifiedServes, ProxyCounts counts) {
    int selected = counts.selected();
    int acked = counts.acked();
    int nacked = counts.nacked();
    if (plugin.unsupportedTarget() != null) {
      return new Condition(
          Conditions.PROGRAMMED,
          "False",
          "NotAccepted",
          "the plugin attaches to " + plugin.unsupportedTarget() + ", which is not supported");
    }
    if (module instanceof ModuleStatus.Failed) {
      return new Condition(
          Conditions.PROGRAMMED,
          "False",
          "ModuleUnavailable",
          (lastVerifiedServes
                  ? "the last verified version keeps running"
                  : plugin.failStrategy().standInDescription() + " runs in its place")
              + " on "
              + selected
              + " proxies");
    }
    if (module instanceof ModuleStatus.Pending) {
      return new Condition(Conditions.PROGRAMMED, "Unknown", "Pending", "waiting for the module");
    }
    if (nacked > 0) {
      return new Condition(
          Conditions.PROGRAMMED,
          "False",
          "Rejected",
          nacked + " of " + selected + " proxies rejected it: " + counts.lastNack());
    }
    if (acked == selected) {
      return new Condition(
          Conditions.PROGRAMMED,
          "True",
          "Programmed",
          selected == 0
              ? "no connected proxy selects it"
              : "running on " + acked + " of " + selected + " proxies");
    }
    return new Condition(
        Conditions.PROGRAMMED,
        "Unknown",
        "Pending",
        "acknowledged by " + acked + " of " + selected + " proxies");
  }

  /** The condition of {@code type}, or null. */
  public Condition condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst().orElse(null);
  }

  /**
   * The {@code status} object to write. A condition whose status is unchanged from {@code previous}
   * keeps its {@code lastTransitionTime}; any other gets {@code now}, to the second.
   *
   * @param previous the status now on the resource (missing or null when there is none)
   * @param now the time of this pass
   */
  public ObjectNode toJson(JsonNode previous, Instant now) {
    String since = now.truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode status = JSON.createObjectNode();
    ArrayNode array = status.putArray("conditions");
    for (Condition condition : conditions) {
      array.add(toJson(condition, transitionTime(previous, condition, since)));
    }
    if (moduleDigest != null) {
      status.put("moduleDigest", moduleDigest);
    }
    if (imageDigest != null) {
      status.put("imageDigest", imageDigest);
    }
    if (proxies != null) {
      status
          .putObject("proxies")
          .put("selected", proxies.selected())
          .put("acked", proxies.acked())
          .put("nacked", proxies.nacked());
      if (proxies.lastNack() != null) {
        status.put("lastNackMessage", proxies.lastNack());
      }
    }
    status.put("observedGeneration", observedGeneration);
    return status;
  }

  private ObjectNode toJson(Condition condition, String since) {
    return JSON.createObjectNode()
        .put("type", condition.type())
        .put("status", condition.status())
        .put("reason", condition.reason())
        .put("message", condition.message())
        .put("lastTransitionTime", since)
        .put("observedGeneration", observedGeneration);
  }

  private static String transitionTime(JsonNode previous, Condition condition, String now) {
    String since = now;
    if (previous == null) {
      return since;
    }
    for (JsonNode old : previous.path("conditions")) {
      if (old.path("type").asText().equals(condition.type())
          && old.path("status").asText().equals(condition.status())) {
        since = old.path("lastTransitionTime").asText(since);
      }
    }
    return since;
  }

  /** The conditions for a log line, e.g. {@code Accepted=True(Valid) ...}. */
  public String summary() {
    return conditions.stream()
        .map(c -> c.type() + "=" + c.status() + "(" + c.reason() + ")")
        .collect(Collectors.joining(" "));
  }
}
