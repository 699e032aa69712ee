package io.wasmplane.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool. */
public final class SelfSignedCertificate {
  private static final String ALIAS = "modules";
  private static final String PASSWORD = "changeit";
  private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

  private final Path dir;
  private final SSLContext serverContext;

  private SelfSignedCertificate(Path dir, SSLContext serverContext) {
    this.dir = dir;
    this.serverContext = serverContext;
  }

  /**
   * Generates an RSA key and a certificate with CN 127.0.0.1 and SANs 127.0.0.1 and localhost,
   * valid for two days, in a PKCS12 key store, and exports the certificate as PEM so a client can
   * trust it as its CA.
   */
  public static SelfSignedCertificate create() {
    try {
      Path dir = Files.createTempDirectory("tls-");
      Path keyStore = dir.resolve("server.p12");
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      keytool(
          List.of(
              keytool,
              "-genkeypair",
              "-alias",
              ALIAS,
              "-keyalg",
              "RSA",
              "-keysize",
              "2048",
              "-dname",
              "CN=127.0.0.1",
              "-ext",
              "SAN=ip:127.0.0.1,dns:localhost",
              "-validity",
              "2",
              "-storetype",
              "PKCS12",
              "-keystore",
              keyStore.toString(),
              "-storepass",
              PASSWORD,
              "-keypass",
              PASSWORD));
      keytool(
          List.of(
              keytool,
              "-exportcert",
              "-rfc",
              "-alias",
              ALIAS,
              "-keystore",
              keyStore.toString(),
              "-storepass",
              PASSWORD,
              "-file",
              dir.resolve("ca.pem").toString()));
      return new SelfSignedCertificate(dir, serverContext(keyStore));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a self-signed certificate", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the self-signed certificate", e);
    }
  }

  private static void keytool(List<String> command) {
    Commands.run(command, null, KEYTOOL_TIMEOUT_SECONDS).orThrow();
  }

  private static SSLContext serverContext(Path keyStore)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    return tls;
  }

  /** A server-side context that presents this certificate, e.g. for {@link ModuleServer#https}. */
  public SSLContext serverContext() {
    return serverContext;
  }

  /** The certificate as a PEM file, for a client's CA bundle such as {@code --module-ca-file}. */
  public Path caFile() {
    return dir.resolve("ca.pem");
  }
}
