package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Links plugin resources of one kind and the pull Secrets they name, both ways: an index on the
 * kind's cache keyed by {@code namespace/secret}, so a changed Secret maps to exactly the plugins
 * that use it.
 *
 * @param <R> the plugin resource's class
 */
final class PullSecretIndex<R extends HasMetadata> {
  /** The name of the index on a plugin cache. */
  static final String NAME = "wasmplane.io/pull-secret";

  private final Function<R, String> secretName;

  /**
   * @param secretName reads the {@code imagePullSecret} a resource names; null or empty for none
   */
  PullSecretIndex(Function<R, String> secretName) {
    this.secretName = secretName;
  }

  /** The index function: the {@code namespace/secret} key a plugin names, if any. */
  List<String> keys(R plugin) {
    return secretOf(plugin).map(id -> List.of(key(id))).orElse(List.of());
  }

  /** The Secret a plugin names in {@code imagePullSecret}, in the plugin's namespace. */
  Optional<ResourceID> secretOf(R plugin) {
    String name = secretName.apply(plugin);
    if (name == null || name.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ResourceID(name, plugin.getMetadata().getNamespace()));
  }

  /** The plugins that name {@code secret}, found with {@code byKey}, a lookup in the index. */
  Set<ResourceID> pluginsUsing(Secret secret, Function<String, List<R>> byKey) {
    return byKey.apply(key(ResourceID.fromResource(secret))).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toUnmodifiableSet());
  }

  private static String key(ResourceID id) {
    return id.getNamespace().orElse("") + "/" + id.getName();
  }
}
