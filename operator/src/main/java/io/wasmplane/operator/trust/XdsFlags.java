package io.wasmplane.operator.trust;

import java.nio.file.Path;

/**
 * How the xDS port is secured and bounded.
 *
 * @param tlsCert PEM certificate chain to serve xDS with, or null
 * @param tlsKey PEM private key of {@code tlsCert}, or null
 * @param clientCa PEM CAs whose client certificates are required, or null
 * @param plaintext whether xDS is served without TLS even where TLS is the default
 * @param auth {@code token}, {@code mtls} or {@code none}; null means the mode's default
 * @param tokenAudience the audience proxies' tokens must carry
 * @param maxConnectionAge after how long a connection is closed so proxies rebalance
 * @param maxStreamsPerProxy ADS streams one node id may hold at once
 * @param service the Service in front of the xDS port, whose names the operator's own serving
 *     certificate carries
 * @param tlsSecret the Secret in the operator's namespace that keeps its xDS CA and certificate
 * @param bootstrapConfigMap the sidecar bootstrap ConfigMap the CA is published in
 * @param externalIssuer whether another issuer (cert-manager) makes the Secret
 */
public record XdsFlags(
    Path tlsCert,
    Path tlsKey,
    Path clientCa,
    boolean plaintext,
    String auth,
    String tokenAudience,
    java.time.Duration maxConnectionAge,
    int maxStreamsPerProxy,
    String service,
    String tlsSecret,
    String bootstrapConfigMap,
    boolean externalIssuer) {}
