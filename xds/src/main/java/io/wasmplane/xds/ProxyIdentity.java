package io.wasmplane.xds;

import java.util.List;
import java.util.Map;

/**
 * Who a connected proxy is, from its node id and metadata.
 *
 * @param nodeId {@code <pod>.<namespace>}
 * @param podName the part before the last dot
 * @param namespace the part after the last dot, equal to metadata NAMESPACE
 * @param labels workload labels that selectors match against
 * @param listeners the listeners the proxy serves
 */
public record ProxyIdentity(
    String nodeId,
    String podName,
    String namespace,
    Map<String, String> labels,
    List<ListenerSpec> listeners) {
  public ProxyIdentity {
    labels = Map.copyOf(labels);
    listeners = List.copyOf(listeners);
  }

  /** The same proxy with other labels, e.g. the Pod's labels in a cluster. */
  public ProxyIdentity withLabels(Map<String, String> newLabels) {
    return new ProxyIdentity(nodeId, podName, namespace, newLabels, listeners);
  }
}
