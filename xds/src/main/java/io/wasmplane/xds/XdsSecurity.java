package io.wasmplane.xds;

import io.grpc.ServerCredentials;
import java.time.Duration;

/**
 * How the xDS port is secured and bounded.
 *
 * @param credentials the TLS server credentials, or null for plaintext
 * @param authenticator what every call's credentials must prove
 * @param maxConnectionAge after how long a connection is told to go away, so that proxies spread
 *     over replicas again; null for never
 * @param maxStreamsPerNode ADS streams one node id may hold at once
 */
public record XdsSecurity(
    ServerCredentials credentials,
    ProxyAuthenticator authenticator,
    Duration maxConnectionAge,
    int maxStreamsPerNode) {
  /** Plaintext, no authentication, no age limit: for local use and tests. */
  public static XdsSecurity open() {
    return new XdsSecurity(null, ProxyAuthenticator.NONE, null, 16);
  }
}
