package io.wasmplane.operator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wasmplane.operator.plan.AppliedConfig;
import io.wasmplane.operator.plan.ControlPlane;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.ListenerPlan;
import io.wasmplane.xds.ProxySession;
import io.wasmplane.xds.ResourceState;
import io.wasmplane.xds.TypeUrls;
import io.wasmplane.xds.XdsServer;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/** Renders the debug endpoints' JSON: connected proxies and known plugins. */
public final class DebugJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private DebugJson() {}

  /** Every connected proxy: identity, listeners with ordered filters, ACKed and NACKed versions. */
  public static String proxies(XdsServer xds) throws Exception {
    ArrayNode proxies = JSON.createArrayNode();
    xds.sessions().stream()
        .sorted(Comparator.comparing(s -> s.identity().nodeId()))
        .forEach(session -> proxies.add(proxy(session)));
    return JSON.writeValueAsString(proxies);
  }

  private static ObjectNode proxy(ProxySession session) {
    ObjectNode node = JSON.createObjectNode();
    node.put("nodeId", session.identity().nodeId());
    node.put("namespace", session.identity().namespace());
    node.set("labels", JSON.valueToTree(new TreeMap<>(session.identity().labels())));
    node.put("connectedAt", session.connectedAt().toString());
    ArrayNode listeners = node.putArray("listeners");
    for (ListenerPlan plan : session.snapshot().plan().listeners()) {
      ObjectNode listener = listeners.addObject();
      listener.put("name", plan.listener().name());
      listener.put("port", plan.listener().port());
      listener.put("direction", plan.listener().direction().name());
      listener.put("protocol", plan.listener().protocol().name());
      plan.networkFilters().forEach(listener.putArray("networkFilters")::add);
      plan.httpFilters().forEach(listener.putArray("httpFilters")::add);
    }
    ObjectNode versions = node.putObject("versions");
    ObjectNode lds = versions.putObject("lds");
    lds.put("current", session.snapshot().listenersVersion());
    state(lds, session.types().getOrDefault(TypeUrls.LISTENER, ResourceState.NONE));
    ObjectNode ecds = versions.putObject("ecds");
    for (String name : new java.util.TreeSet<>(session.snapshot().extensionNames())) {
      ObjectNode resource = ecds.putObject(name);
      resource.put("current", session.snapshot().extensionVersion(name));
      state(resource, session.extensions().getOrDefault(name, ResourceState.NONE));
    }
    return node;
  }

  private static void state(ObjectNode node, ResourceState state) {
    node.put("acked", state.ackedVersion());
    if (state.nackedVersion() != null) {
      node.put("nacked", state.nackedVersion());
      node.put("nackMessage", state.nackMessage());
    }
  }

  /** Every accepted plugin with its module state, and every skipped input with its reason. */
  public static String plugins(ControlPlane controlPlane) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode plugins = root.putArray("plugins");
    AppliedConfig applied = controlPlane.applied();
    Map<io.wasmplane.operator.plugin.PluginRef, ModuleStatus> modules = applied.state().modules();
    for (PluginSpec plugin : applied.state().plugins()) {
      ObjectNode node = plugins.addObject();
      node.put("name", plugin.ref().toString());
      node.put("phase", plugin.phase().name());
      node.put("priority", plugin.priority());
      node.put("type", plugin.type().name());
      node.put("url", plugin.source());
      ModuleStatus status = modules.get(plugin.ref());
      if (status instanceof ModuleStatus.Ready ready) {
        node.put("module", "Ready");
        if (ready.moduleDigest() != null) {
          node.put("moduleDigest", ready.moduleDigest());
        }
        if (ready.imageDigest() != null) {
          node.put("imageDigest", ready.imageDigest());
        }
        if (ready.note() != null) {
          node.put("note", ready.note());
        }
      } else if (status instanceof ModuleStatus.Pending pending) {
        node.put("module", "Pending: " + pending.reason());
      } else if (status instanceof ModuleStatus.Failed failed) {
        node.put("module", failed.reason() + ": " + failed.message());
      }
    }
    ArrayNode problems = root.putArray("problems");
    applied.problems().forEach(p -> problems.add(p.toString()));
    return JSON.writeValueAsString(root);
  }
}
