package io.wasmplane.operator.module;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The TLS trust for module fetches: the JDK's CAs, plus any from {@code --module-ca-file}. */
public final class TrustBundle {
  private TrustBundle() {}

  /** An SSL context trusting the default CAs and those in {@code pem}; null means the default. */
  public static SSLContext sslContext(Path pem) {
    if (pem == null) {
      return null;
    }
    try {
      KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
      extra.load(null, null);
      try (InputStream in = Files.newInputStream(pem)) {
        int i = 0;
        for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          extra.setCertificateEntry("extra-" + i++, cert);
        }
      }
      X509TrustManager defaults = trustManager(null);
      X509TrustManager extras = trustManager(extra);
      X509TrustManager both =
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
              defaults.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws CertificateException {
              try {
                extras.checkServerTrusted(chain, authType);
              } catch (CertificateException e) {
                defaults.checkServerTrusted(chain, authType);
              }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              List<X509Certificate> all = new ArrayList<>(List.of(defaults.getAcceptedIssuers()));
              all.addAll(List.of(extras.getAcceptedIssuers()));
              return all.toArray(new X509Certificate[0]);
            }
          };
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {both}, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read CA certificates from " + pem + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager");
  }
}
