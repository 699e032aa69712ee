package io.wasmplane.operator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.crd.ModuleUrl;
import io.wasmplane.xds.FilterType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Turns a validated WasmPlugin (as a JSON tree) into a {@link PluginSpec}. */
public final class PluginParser {
  private PluginParser() {}

  /** Parses {@code resource}, which {@code WasmPluginValidator} already found valid. */
  public static PluginSpec parse(JsonNode resource) {
    JsonNode metadata = resource.path("metadata");
    JsonNode spec = resource.path("spec");
    String namespace = metadata.path("namespace").asText("default");
    ModuleUrl url = ModuleUrl.parse(spec.path("url").asText());
    return new PluginSpec(
        new PluginRef(namespace, metadata.path("name").asText()),
        metadata.path("generation").asLong(0) > 0
            ? metadata.path("generation").asLong()
            : specHash(spec),
        PullTrigger.metadataHash(metadata),
        metadata.path("uid").asText(""),
        selector(spec.get("selector")),
        url,
        text(spec, "sha256"),
        PullPolicy.of(text(spec, "imagePullPolicy"), url),
        text(spec, "imagePullSecret"),
        configuration(spec.get("pluginConfig")),
        spec.path("pluginName").asText(""),
        Phase.of(text(spec, "phase")),
        spec.path("priority").isIntegralNumber() ? spec.path("priority").asInt() : 0,
        FailStrategy.of(text(spec, "failStrategy")),
        env(spec.path("vmConfig").path("env")),
        match(spec.path("match")),
        "NETWORK".equals(text(spec, "type")) ? FilterType.NETWORK : FilterType.HTTP,
        targetRefs(spec));
  }

  /** {@code targetRef} and each {@code targetRefs} entry; an empty list is unset, as in Istio. */
  private static List<TargetRef> targetRefs(JsonNode spec) {
    List<TargetRef> refs = new ArrayList<>();
    if (isSet(spec.get("targetRef"))) {
      refs.add(targetRef(spec.get("targetRef")));
    }
    if (isSet(spec.get("targetRefs"))) {
      spec.get("targetRefs").forEach(ref -> refs.add(targetRef(ref)));
    }
    return refs;
  }

  private static TargetRef targetRef(JsonNode ref) {
    return new TargetRef(
        ref.path("group").asText(""),
        ref.path("kind").asText(""),
        ref.path("name").asText(""),
        ref.path("namespace").asText(""));
  }

  private static String configuration(JsonNode config) {
    if (config == null || config.isNull() || (config.isObject() && config.isEmpty())) {
      return null;
    }
    return CanonicalJson.write(config);
  }

  private static Map<String, String> selector(JsonNode selector) {
    if (!isSet(selector)) {
      return null;
    }
    Map<String, String> labels = new TreeMap<>();
    selector
        .path("matchLabels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static List<EnvVar> env(JsonNode env) {
    List<EnvVar> vars = new ArrayList<>();
    for (JsonNode var : env) {
      boolean host = "HOST".equals(text(var, "valueFrom"));
      vars.add(
          new EnvVar(var.path("name").asText(), host, host ? "" : var.path("value").asText("")));
    }
    return vars;
  }

  private static List<TrafficSelector> match(JsonNode match) {
    List<TrafficSelector> selectors = new ArrayList<>();
    for (JsonNode selector : match) {
      Set<Integer> ports = new LinkedHashSet<>();
      for (JsonNode port : selector.path("ports")) {
        ports.add(port.path("number").asInt());
      }
      selectors.add(new TrafficSelector(TrafficMode.of(text(selector, "mode")), ports));
    }
    return selectors;
  }

  /** Stands in for {@code metadata.generation} where there is none: changes when the spec does. */
  private static long specHash(JsonNode spec) {
    return Long.parseLong(PullTrigger.sha256(CanonicalJson.write(spec)).substring(0, 15), 16);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static boolean isSet(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }
}
