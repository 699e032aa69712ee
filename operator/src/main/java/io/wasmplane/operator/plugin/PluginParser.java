package io.wasmplane.operator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wasmplane.crd.ModuleUrl;
import io.wasmplane.xds.FilterType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Turns a validated WasmPlugin or TrafficExtension (as a JSON tree) into a {@link PluginSpec}. */
public final class PluginParser {
  private PluginParser() {}

  /** Parses {@code resource}, which {@code WasmPluginValidator} already found valid. */
  public static PluginSpec parse(JsonNode resource) {
    return parse(resource, PluginKind.WASM_PLUGIN, resource.path("spec"), null);
  }

  /**
   * Parses a TrafficExtension that {@code TrafficExtensionValidator} already found valid: the
   * fields of its {@code wasm} block mean what they mean in a WasmPlugin; a {@code lua} one has its
   * inline code and no module.
   */
  public static PluginSpec parseTrafficExtension(JsonNode resource) {
    JsonNode spec = resource.path("spec");
    ObjectNode merged =
        spec.isObject() ? ((ObjectNode) spec).deepCopy() : JsonNodeFactory.instance.objectNode();
    merged.remove("wasm");
    merged.remove("lua");
    spec.path("wasm")
        .fields()
        .forEachRemaining(field -> merged.set(field.getKey(), field.getValue()));
    JsonNode code = spec.path("lua").path("inlineCode");
    return parse(
        resource, PluginKind.TRAFFIC_EXTENSION, merged, code.isTextual() ? code.asText() : null);
  }

  private static PluginSpec parse(JsonNode resource, PluginKind kind, JsonNode spec, String lua) {
    JsonNode metadata = resource.path("metadata");
    String namespace = metadata.path("namespace").asText("default");
    ModuleUrl url = lua != null ? null : ModuleUrl.parse(spec.path("url").asText());
    return new PluginSpec(
        new PluginRef(kind, namespace, metadata.path("name").asText()),
        metadata.path("generation").asLong(0) > 0
            ? metadata.path("generation").asLong()
            : specHash(resource.path("spec")),
        PullTrigger.metadataHash(metadata),
        metadata.path("uid").asText(""),
        selector(spec.get("selector")),
        url,
        text(spec, "sha256"),
        url == null ? PullPolicy.IF_NOT_PRESENT : PullPolicy.of(text(spec, "imagePullPolicy"), url),
        text(spec, "imagePullSecret"),
        configuration(spec.get("pluginConfig")),
        spec.path("pluginName").asText(""),
        Phase.of(text(spec, "phase")),
        priority(spec.path("priority")),
        FailStrategy.of(text(spec, "failStrategy")),
        env(spec.path("vmConfig").path("env")),
        match(spec.path("match")),
        "NETWORK".equals(text(spec, "type")) ? FilterType.NETWORK : FilterType.HTTP,
        targetRefs(spec),
        lua);
  }

  /**
   * {@code priority}, or 0 when unset; a TrafficExtension's is not bounded to 32 bits, so larger
   * values keep their order at the ends of the range.
   */
  private static int priority(JsonNode priority) {
    if (!priority.isIntegralNumber()) {
      return 0;
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, priority.asLong()));
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
