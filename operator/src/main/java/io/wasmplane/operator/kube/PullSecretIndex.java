package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.istio.extensions.v1alpha1.WasmPlugin;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Links WasmPlugins and the pull Secrets they name, both ways: an index on the plugin cache keyed
 * by {@code namespace/secret}, so a changed Secret maps to exactly the plugins that use it.
 */
final class PullSecretIndex {
  /** The name of the index on the WasmPlugin cache. */
  static final String NAME = "wasmplane.io/pull-secret";

  private PullSecretIndex() {}

  /** The index function: the {@code namespace/secret} key a plugin names, if any. */
  static List<String> keys(WasmPlugin plugin) {
    return secretOf(plugin).map(id -> List.of(key(id))).orElse(List.of());
  }

  /** The Secret a plugin names in {@code imagePullSecret}, in the plugin's namespace. */
  static Optional<ResourceID> secretOf(WasmPlugin plugin) {
    if (plugin.getSpec() == null) {
      return Optional.empty();
    }
    String name = plugin.getSpec().getImagePullSecret();
    if (name == null || name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ResourceID(name, plugin.getMetadata().getNamespace()));
  }

  /** The plugins that name {@code secret}, found with {@code byKey}, a lookup in the index. */
  static Set<ResourceID> pluginsUsing(Secret secret, Function<String, List<WasmPlugin>> byKey) {
    return byKey.apply(key(ResourceID.fromResource(secret))).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toUnmodifiableSet());
  }

  private static String key(ResourceID id) {
    return id.getNamespace().orElse("") + "/" + id.getName();
  }
}
