package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.istio.extensions.v1alpha1.TrafficExtension;
import java.util.List;

/**
 * Whether TrafficExtensions can be read now: the apiserver serves their CRD and lets the operator
 * list them in every watched namespace. An informer on a kind that cannot be read would stop the
 * SDK operator from starting, and WasmPlugins with it.
 */
enum TrafficExtensionAccess {
  READABLE(null),
  NO_CRD("the apiserver does not serve them (is their CRD installed?)"),
  FORBIDDEN(
      "listing them is forbidden: grant the operator get, list and watch on trafficextensions"
          + " and update on trafficextensions/status (the chart does)");

  private final String reason;

  TrafficExtensionAccess(String reason) {
    this.reason = reason;
  }

  /** Why they cannot be read; null when they can. */
  String reason() {
    return reason;
  }

  /**
   * Checks TrafficExtensions in {@code namespaces} (every namespace when empty). Errors other than
   * a refusal are thrown.
   */
  static TrafficExtensionAccess check(KubernetesClient client, List<String> namespaces) {
    if (!client.supports(TrafficExtension.class)) {
      return NO_CRD;
    }
    var one = new ListOptionsBuilder().withLimit(1L).build();
    var resources = client.resources(TrafficExtension.class);
    try {
      if (namespaces.isEmpty()) {
        resources.inAnyNamespace().list(one);
      }
      for (String namespace : namespaces) {
        resources.inNamespace(namespace).list(one);
      }
      return READABLE;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        return FORBIDDEN;
      }
      throw e;
    }
  }
}
