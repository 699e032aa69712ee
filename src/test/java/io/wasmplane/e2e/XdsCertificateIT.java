package io.wasmplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.operator.trust.XdsPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The operator's own xDS certificate on a real apiserver: made once for every replica, kept in the
 * Secret wasmplane-xds-tls, and renewed with the same CA before it expires.
 */
class XdsCertificateIT extends KubernetesFixture {
  @Test
  void replicasStartingTogetherMakeOneCaAndServeCertificatesItSigned() throws Exception {
    operator.close();
    ns.kubectl(null, "delete", "secret", "wasmplane-xds-tls");
    CompletableFuture<WasmplaneOperator> first = CompletableFuture.supplyAsync(this::start);
    CompletableFuture<WasmplaneOperator> second = CompletableFuture.supplyAsync(this::start);
    operator = first.get();
    try (WasmplaneOperator other = second.get()) {
      String ca = secretEntry("ca.crt");
      X509Certificate authority = XdsPki.certificate(ca);
      for (WasmplaneOperator replica : List.of(operator, other)) {
        X509Certificate served = served(replica.xdsPort());
        served.verify(authority.getPublicKey());
        assertThat(served.getSubjectAlternativeNames().toString())
            .contains("wasmplane." + namespace + ".svc");
      }
    }
  }

  @Test
  void aCertificateThatExpiresSoonIsRenewedWithTheSameCa() throws Exception {
    operator.close();
    XdsPki.Issued ca = XdsPki.newCa(Instant.now().minus(Duration.ofDays(300)));
    XdsPki.Issued old =
        XdsPki.serving(
            ca,
            List.of("wasmplane." + namespace + ".svc", "localhost", "127.0.0.1"),
            Instant.now().minus(Duration.ofDays(300)));
    ns.kubectl(null, "delete", "secret", "wasmplane-xds-tls");
    ns.apply(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: wasmplane-xds-tls}
        type: kubernetes.io/tls
        data: {ca.crt: %s, ca.key: %s, tls.crt: %s, tls.key: %s}
        """
            .formatted(
                base64(ca.certificate()),
                base64(ca.key()),
                base64(old.certificate()),
                base64(old.key())));

    operator = start();

    String renewed = secretEntry("tls.crt");
    assertThat(renewed).isNotEqualTo(old.certificate());
    assertThat(secretEntry("ca.crt")).isEqualTo(ca.certificate());
    X509Certificate served = served(operator.xdsPort());
    served.verify(XdsPki.certificate(ca.certificate()).getPublicKey());
    assertThat(served.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(300)));
    assertThat(served).isEqualTo(XdsPki.certificate(renewed));
  }

  private WasmplaneOperator start() {
    try {
      return ns.startOperator();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String secretEntry(String key) {
    await()
        .atMost(CONVERGE)
        .until(() -> !ns.jsonpath("secret/wasmplane-xds-tls", "{.data.ca\\.crt}").isBlank());
    return new String(
        Base64.getDecoder()
            .decode(
                ns.jsonpath("secret/wasmplane-xds-tls", "{.data." + key.replace(".", "\\.") + "}")
                    .trim()));
  }

  private static String base64(String text) {
    return Base64.getEncoder()
        .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** The certificate the xDS port presents, read in a handshake that trusts anything. */
  private static X509Certificate served(int port) throws Exception {
    X509Certificate[] seen = new X509Certificate[1];
    TrustManager recorder =
        new X509TrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] chain, String authType) {}

          @Override
          public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen[0] = chain[0];
          }

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {recorder}, null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
    }
    assertThat(seen[0]).as("the xDS port presented a certificate").isNotNull();
    return seen[0];
  }
}
