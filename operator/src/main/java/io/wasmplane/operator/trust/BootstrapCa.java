package io.wasmplane.operator.trust;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the xDS CA as {@code ca.crt} in the sidecar bootstrap ConfigMap, where sidecars read it
 * to verify the server. A ConfigMap that is not there is left alone: the chart makes it.
 */
final class BootstrapCa {
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapCa.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String configMap;
  private String publishedCa;

  BootstrapCa(KubernetesClient client, String namespace, String configMap) {
    this.client = client;
    this.namespace = namespace;
    this.configMap = configMap;
  }

  /** Puts {@code ca} into the ConfigMap unless it holds it already. */
  void publish(String ca) {
    if (ca.equals(publishedCa)) {
      return;
    }
    try {
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(configMap).get();
      if (map == null) {
        LOG.info(
            "no ConfigMap {}/{} to publish the xDS CA in; sidecars need it to verify the server",
            namespace,
            configMap);
      } else if (map.getData() == null || !ca.equals(map.getData().get("ca.crt"))) {
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(configMap)
            .edit(
                m -> {
                  Map<String, String> data =
                      m.getData() == null ? new HashMap<>() : new HashMap<>(m.getData());
                  data.put("ca.crt", ca);
                  m.setData(data);
                  return m;
                });
        LOG.info("published the xDS CA in ConfigMap {}/{}", namespace, configMap);
      }
      publishedCa = ca;
    } catch (KubernetesClientException e) {
      LOG.warn(
          "cannot publish the xDS CA in ConfigMap {}/{}: {}",
          namespace,
          configMap,
          e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
    }
  }
}
