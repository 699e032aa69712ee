package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.istio.extensions.v1alpha1.TrafficExtension;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.wasmplane.operator.plugin.PluginKind;

/**
 * Reconciles TrafficExtensions, whose pull Secret is {@code spec.wasm.imagePullSecret} (a Lua one
 * has none).
 */
@ControllerConfiguration(
    name = TrafficExtensionReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true,
    informer = @Informer(onUpdateFilter = SpecOrMetadataChanged.class))
final class TrafficExtensionReconciler extends PluginReconciler<TrafficExtension> {
  static final String NAME = "trafficextensions";

  TrafficExtensionReconciler(ReconciledPlugins plugins, KubernetesSerialization serialization) {
    super(
        PluginKind.TRAFFIC_EXTENSION,
        TrafficExtension.class,
        new PullSecretIndex<>(
            extension ->
                extension.getSpec() == null || extension.getSpec().getWasm() == null
                    ? null
                    : extension.getSpec().getWasm().getImagePullSecret()),
        plugins,
        serialization);
  }
}
