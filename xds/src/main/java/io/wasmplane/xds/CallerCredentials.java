package io.wasmplane.xds;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a caller presented: its {@code authorization} header, its TLS client certificates and the
 * address it called from.
 *
 * @param authorization the {@code authorization} header or gRPC metadata, or null
 * @param certificates the verified client certificate chain, leaf first, or empty
 * @param peer the caller's address, or null if unknown
 */
public record CallerCredentials(
    String authorization, List<X509Certificate> certificates, InetAddress peer) {
  public CallerCredentials {
    certificates = List.copyOf(certificates);
  }

  /** The bearer token in the {@code authorization} value, or null if there is none. */
  public String bearerToken() {
    if (authorization == null || authorization.length() < 8) {
      return null;
    }
    String scheme = authorization.substring(0, 7);
    String token = authorization.substring(7).trim();
    return scheme.equalsIgnoreCase("bearer ") && !token.isEmpty() ? token : null;
  }
}
