package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.wasmplane.operator.plugin.PluginRef;

/**
 * A plugin resource as an informer cache holds it, for status.
 *
 * @param ref its kind, namespace and name
 * @param resource the object, read back as the apiserver's JSON reads
 */
public record CachedPlugin(PluginRef ref, GenericKubernetesResource resource) {}
