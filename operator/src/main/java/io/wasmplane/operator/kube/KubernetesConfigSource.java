package io.wasmplane.operator.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wasmplane.crd.Violation;
import io.wasmplane.crd.WasmPluginValidator;
import io.wasmplane.operator.Debouncer;
import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.config.ConfigSnapshot;
import io.wasmplane.operator.plugin.PluginParser;
import io.wasmplane.operator.plugin.PluginSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads WasmPlugins and pull Secrets from Kubernetes through informers, and hands each changed
 * reading to a consumer after a short debounce. It never lists the API on its own: everything comes
 * from the informers' caches, which resume their watches after an apiserver outage.
 */
public final class KubernetesConfigSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesConfigSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String API_VERSION = "extensions.istio.io/v1alpha1";

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final Consumer<ConfigSnapshot> consumer;
  private final List<SharedIndexInformer<GenericKubernetesResource>> plugins = new ArrayList<>();
  private final List<SharedIndexInformer<Secret>> secrets = new ArrayList<>();
  private final Debouncer debounce =
      new Debouncer("kube-config", Duration.ofMillis(100), this::rebuild);
  private ConfigSnapshot last;

  /** Watches {@code namespaces}, or every namespace when the list is empty. */
  public KubernetesConfigSource(
      KubernetesClient client, List<String> namespaces, Consumer<ConfigSnapshot> consumer) {
    this.client = client;
    this.namespaces = List.copyOf(namespaces);
    this.consumer = consumer;
  }

  public KubernetesConfigSource start() {
    ResourceEventHandler<Object> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object obj) {
            debounce.poke();
          }

          @Override
          public void onUpdate(Object oldObj, Object newObj) {
            debounce.poke();
          }

          @Override
          public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
            debounce.poke();
          }
        };
    if (namespaces.isEmpty()) {
      plugins.add(
          client
              .genericKubernetesResources(API_VERSION, "WasmPlugin")
              .inAnyNamespace()
              .inform(cast(handler)));
      secrets.add(
          client
              .secrets()
              .inAnyNamespace()
              .withField("type", "kubernetes.io/dockerconfigjson")
              .inform(cast(handler)));
    } else {
      for (String namespace : namespaces) {
        plugins.add(
            client
                .genericKubernetesResources(API_VERSION, "WasmPlugin")
                .inNamespace(namespace)
                .inform(cast(handler)));
        secrets.add(
            client
                .secrets()
                .inNamespace(namespace)
                .withField("type", "kubernetes.io/dockerconfigjson")
                .inform(cast(handler)));
      }
    }
    rebuild();
    return this;
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
  }

  /** The WasmPlugin objects in the informers' caches. */
  public List<GenericKubernetesResource> wasmPlugins() {
    List<GenericKubernetesResource> all = new ArrayList<>();
    plugins.forEach(i -> all.addAll(i.getStore().list()));
    return all;
  }

  private synchronized void rebuild() {
    List<PluginSpec> accepted = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    for (GenericKubernetesResource resource : wasmPlugins()) {
      JsonNode node = JSON.valueToTree(resource);
      String id =
          "WasmPlugin "
              + resource.getMetadata().getNamespace()
              + "/"
              + resource.getMetadata().getName();
      List<Violation> violations = WasmPluginValidator.validate(node);
      if (violations.isEmpty()) {
        accepted.add(PluginParser.parse(node));
      } else {
        violations.forEach(
            v -> problems.add(new ConfigProblem("kubernetes", id, v.field(), v.message())));
      }
    }
    accepted.sort(java.util.Comparator.comparing(PluginSpec::ref));
    Map<String, JsonNode> secretMap = new LinkedHashMap<>();
    for (SharedIndexInformer<Secret> informer : secrets) {
      for (Secret secret : informer.getStore().list()) {
        secretMap.put(
            secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(),
            JSON.valueToTree(secret));
      }
    }
    ConfigSnapshot snapshot = new ConfigSnapshot(accepted, secretMap, problems);
    if (snapshot.equals(last)) {
      return;
    }
    last = snapshot;
    LOG.info(
        "read Kubernetes: {} plugins, {} pull secrets, {} problems",
        accepted.size(),
        secretMap.size(),
        problems.size());
    try {
      consumer.accept(snapshot);
    } catch (RuntimeException e) {
      LOG.error("applying the configuration from Kubernetes failed", e);
    }
  }

  @Override
  public void close() {
    plugins.forEach(SharedIndexInformer::close);
    secrets.forEach(SharedIndexInformer::close);
    debounce.close();
  }
}
