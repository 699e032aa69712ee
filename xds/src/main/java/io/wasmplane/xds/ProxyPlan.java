package io.wasmplane.xds;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything one proxy should run: its listeners with their filter chains, and what can be sent for
 * each plugin those chains name. Plans are values: equal plans yield one shared snapshot.
 */
public record ProxyPlan(List<ListenerPlan> listeners, Map<String, ExtensionOffer> extensions) {
  public ProxyPlan {
    listeners = List.copyOf(listeners);
    extensions = Map.copyOf(new TreeMap<>(extensions));
    for (ListenerPlan listener : listeners) {
      for (String name : listener.httpFilters()) {
        requireExtension(extensions, name, listener);
      }
      for (String name : listener.networkFilters()) {
        requireExtension(extensions, name, listener);
      }
    }
  }

  private static void requireExtension(
      Map<String, ExtensionOffer> extensions, String name, ListenerPlan listener) {
    if (!extensions.containsKey(name)) {
      throw new IllegalArgumentException(
          "listener " + listener.listener().name() + " names " + name + " which has no extension");
    }
  }
}
