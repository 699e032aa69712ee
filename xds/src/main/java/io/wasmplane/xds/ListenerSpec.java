package io.wasmplane.xds;

/**
 * A listener a proxy declares in its node metadata; the control plane builds it.
 *
 * @param name unique within the proxy
 * @param address bind address, {@code 0.0.0.0} by default
 * @param port the port Envoy listens on
 * @param direction INBOUND (server traffic) or OUTBOUND (client traffic, gateways)
 * @param targetPort for INBOUND listeners, the application's port that {@code match.ports} compares
 *     with; null for OUTBOUND
 * @param protocol HTTP or TCP
 * @param cluster the static cluster that receives the traffic
 */
public record ListenerSpec(
    String name,
    String address,
    int port,
    Direction direction,
    Integer targetPort,
    Protocol protocol,
    String cluster) {

  /** The port that WasmPlugin {@code match.ports} is compared with. */
  public int matchPort() {
    return direction == Direction.INBOUND && targetPort != null ? targetPort : port;
  }
}
