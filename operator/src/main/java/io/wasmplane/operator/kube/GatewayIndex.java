package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wasmplane.operator.concurrent.ChangeSignal;
import io.wasmplane.operator.resolve.GatewayClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class of every Gateway in the watched namespaces, read-only from an informer, for plugins
 * attached to a GatewayClass. A Gateway that appears, changes class or goes fires {@code changed}.
 * Without the Gateway API in the cluster it knows no Gateways and says so once.
 */
public final class GatewayIndex implements GatewayClasses, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayIndex.class);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final ChangeSignal changed;
  private final Map<String, String> classes = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<Gateway>> informers = new ArrayList<>();

  /**
   * @param namespaces where to watch Gateways; empty for every namespace
   * @param changed fired when a Gateway's class is known anew, changes or is forgotten
   */
  public GatewayIndex(KubernetesClient client, List<String> namespaces, ChangeSignal changed) {
    this.client = client;
    this.namespaces = List.copyOf(namespaces);
    this.changed = changed;
  }

  @Override
  public Optional<String> classOf(String namespace, String gateway) {
    return Optional.ofNullable(classes.get(namespace + "/" + gateway));
  }

  /** Starts the informers, if the cluster serves Gateways. */
  public void start() {
    if (!client.supports(Gateway.class)) {
      LOG.info(
          "the cluster serves no gateway.networking.k8s.io/v1 Gateways; GatewayClass attachments"
              + " match Pods by their gateway-class-name label only");
      return;
    }
    Handler handler = new Handler();
    if (namespaces.isEmpty()) {
      informers.add(client.resources(Gateway.class).inAnyNamespace().inform(handler));
    } else {
      for (String namespace : namespaces) {
        informers.add(client.resources(Gateway.class).inNamespace(namespace).inform(handler));
      }
    }
    LOG.info("watching Gateways in {}", namespaces.isEmpty() ? "every namespace" : namespaces);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }

  private static String key(Gateway gateway) {
    return gateway.getMetadata().getNamespace() + "/" + gateway.getMetadata().getName();
  }

  private void put(Gateway gateway) {
    String className = gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
    String previous =
        className == null ? classes.remove(key(gateway)) : classes.put(key(gateway), className);
    if (!Objects.equals(previous, className)) {
      LOG.debug("Gateway {} has class {}", key(gateway), className);
      changed.fire();
    }
  }

  /** Keeps the index in step with the informer. */
  private final class Handler implements ResourceEventHandler<Gateway> {
    @Override
    public void onAdd(Gateway gateway) {
      put(gateway);
    }

    @Override
    public void onUpdate(Gateway before, Gateway after) {
      put(after);
    }

    @Override
    public void onDelete(Gateway gateway, boolean finalStateUnknown) {
      if (classes.remove(key(gateway)) != null) {
        changed.fire();
      }
    }
  }
}
