package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.istio.extensions.v1alpha1.WasmPlugin;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.wasmplane.operator.plugin.PluginKind;

/** Reconciles WasmPlugins, whose pull Secret is {@code spec.imagePullSecret}. */
@ControllerConfiguration(
    name = WasmPluginReconciler.NAME,
    generationAwareEventProcessing = false,
    triggerReconcilerOnAllEvents = true,
    informer = @Informer(onUpdateFilter = SpecOrMetadataChanged.class))
final class WasmPluginReconciler extends PluginReconciler<WasmPlugin> {
  static final String NAME = "wasmplugins";

  WasmPluginReconciler(ReconciledPlugins plugins, KubernetesSerialization serialization) {
    super(
        PluginKind.WASM_PLUGIN,
        WasmPlugin.class,
        new PullSecretIndex<>(
            plugin -> plugin.getSpec() == null ? null : plugin.getSpec().getImagePullSecret()),
        plugins,
        serialization);
  }
}
