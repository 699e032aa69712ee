package io.wasmplane.xds;

import io.grpc.Status;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Authenticates callers by the client certificate the TLS handshake verified: the certificate
 * speaks for the node ids it names as its Common Name or as DNS names.
 */
public final class CertificateAuthenticator implements ProxyAuthenticator {
  private static final int DNS_NAME = 2;

  @Override
  public ProxyCaller authenticate(CallerCredentials credentials) throws AuthFailure {
    if (credentials.certificates().isEmpty()) {
      throw new AuthFailure(
          Status.Code.UNAUTHENTICATED, "no client certificate; connect with TLS and a certificate");
    }
    X509Certificate leaf = credentials.certificates().get(0);
    return new ProxyCaller(
        "certificate", null, null, null, names(leaf), leaf.getNotAfter().toInstant());
  }

  /** The node ids a certificate names: its Common Name and its DNS subject alternative names. */
  static Set<String> names(X509Certificate certificate) {
    Set<String> names = new HashSet<>();
    String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    for (String part : subject.split("(?<!\\\\),")) {
      if (part.startsWith("CN=")) {
        names.add(part.substring(3).replace("\\", ""));
      }
    }
    try {
      Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
      if (alternatives != null) {
        for (List<?> alternative : alternatives) {
          if (alternative.size() == 2 && Integer.valueOf(DNS_NAME).equals(alternative.get(0))) {
            names.add(String.valueOf(alternative.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // the Common Name alone then
    }
    return names;
  }
}
