package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.wasmplane.testbed.Commands;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins the node ids a client certificate speaks for (CN and DNS SANs) and the no-cert refusal. */
class CertificateAuthenticatorTest {
  private static final String PASSWORD = "changeit";
  private static final AtomicInteger STORES = new AtomicInteger();

  @TempDir static Path dir;

  /** A self-signed EC certificate with {@code dname} and, if not empty, the SAN {@code san}. */
  static X509Certificate certificate(String dname, String san) throws Exception {
    Path store = dir.resolve("client-" + STORES.incrementAndGet() + ".p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "EC",
                "-dname",
                dname,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
    if (!san.isEmpty()) {
      command.addAll(List.of("-ext", "SAN=" + san));
    }
    Commands.run(command, null, 60).orThrow();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    return (X509Certificate) keys.getCertificate("client");
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "CN=web-1.shop | '' | web-1.shop",
        "CN=web-1.shop, OU=mesh, O=wasmplane, C=DE | '' | web-1.shop",
        "O=wasmplane, C=DE | dns:only.shop | only.shop",
        "CN=web-1.shop | dns:web-1.shop.svc,dns:alt.example | web-1.shop web-1.shop.svc alt.example",
        "CN=web-1.shop | ip:10.0.0.7,uri:spiffe://cluster.local/ns/shop/sa/web | web-1.shop",
        "CN=web-1.shop | email:ops@example.com,dns:web-1.shop | web-1.shop",
        "CN=a\\, b, O=x | '' | 'a, b'",
        "O=no-names | ip:10.0.0.7 | ''",
      })
  void namesAreTheCommonNameAndTheDnsNames(String dname, String san, String names)
      throws Exception {
    X509Certificate certificate = certificate(dname, san);

    List<String> expected =
        names.isEmpty()
            ? List.of()
            : names.contains(",") ? List.of(names) : Arrays.asList(names.split(" "));
    assertThat(CertificateAuthenticator.names(certificate))
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void aCertificateCallerSpeaksForItsLeafsNamesUntilItExpires() throws Exception {
    X509Certificate leaf = certificate("CN=web-1.shop", "dns:web-1.shop.svc");
    X509Certificate issuer = certificate("CN=web-2.shop", "");

    ProxyCaller caller =
        new CertificateAuthenticator()
            .authenticate(
                new CallerCredentials(
                    null, List.of(leaf, issuer), InetAddress.getLoopbackAddress()));

    assertThat(caller.how()).isEqualTo("certificate");
    assertThat(caller.anonymous()).isFalse();
    assertThat(caller.nodeIds()).containsExactlyInAnyOrder("web-1.shop", "web-1.shop.svc");
    assertThat(caller.expires()).isEqualTo(leaf.getNotAfter().toInstant());
    assertThat(caller.podName()).isNull();
    assertThat(caller.refusal("web-1.shop")).isNull();
    assertThat(caller.refusal("web-2.shop"))
        .isEqualTo("the certificate names web-1.shop, web-1.shop.svc, not node web-2.shop");
  }

  @Test
  void noCertificateIsUnauthenticated() {
    ProxyAuthenticator.AuthFailure failure =
        catchThrowableOfType(
            ProxyAuthenticator.AuthFailure.class,
            () ->
                new CertificateAuthenticator()
                    .authenticate(new CallerCredentials("Bearer token", List.of(), null)));

    assertThat(failure).hasMessage("no client certificate; connect with TLS and a certificate");
    assertThat(failure.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(failure.httpStatus()).isEqualTo(401);
  }
}
