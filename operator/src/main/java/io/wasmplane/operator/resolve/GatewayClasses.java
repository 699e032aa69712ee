package io.wasmplane.operator.resolve;

import java.util.Optional;

/** The class of each Gateway, as the cluster says, for plugins attached to a GatewayClass. */
public interface GatewayClasses {
  /** Knows no Gateways: a GatewayClass attachment then matches by the Pod's class label only. */
  GatewayClasses NONE = (namespace, gateway) -> Optional.empty();

  /** The {@code spec.gatewayClassName} of Gateway {@code namespace/gateway}, if it is known. */
  Optional<String> classOf(String namespace, String gateway);
}
