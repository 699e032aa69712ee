package io.wasmplane.xds;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the certificate chain and PKCS#8 key in two PEM files, and reads them again when they
 * change. Each version gets a new alias, because TLS engines cache key material by alias.
 */
final class ReloadingKeys extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeys.class);

  private final Path certificateFile;
  private final Path keyFile;
  private volatile Material material;

  /** One version of the files. */
  private record Material(int generation, X509Certificate[] chain, PrivateKey key, String stamp) {
    String alias() {
      return "xds-" + generation;
    }
  }

  ReloadingKeys(Path certificateFile, Path keyFile) throws IOException, GeneralSecurityException {
    this.certificateFile = certificateFile;
    this.keyFile = keyFile;
    this.material = load(0);
  }

  /** Reads the files again if either changed; keeps what it serves if they do not make a pair. */
  void reload() {
    try {
      if (!stamp().equals(material.stamp())) {
        material = load(material.generation() + 1);
        LOG.info("serving the xDS certificate in {} again", certificateFile);
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.warn(
          "cannot read the xDS certificate in {}; serving the one in use: {}",
          certificateFile,
          e.getMessage());
    }
  }

  private String stamp() throws IOException {
    FileTime certificate = Files.getLastModifiedTime(certificateFile);
    FileTime key = Files.getLastModifiedTime(keyFile);
    return certificate + "/" + key;
  }

  private Material load(int generation) throws IOException, GeneralSecurityException {
    String stamp = stamp();
    X509Certificate[] chain;
    try (InputStream in = Files.newInputStream(certificateFile)) {
      chain =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toArray(X509Certificate[]::new);
    }
    if (chain.length == 0) {
      throw new GeneralSecurityException("no certificate in " + certificateFile);
    }
    String pem = Files.readString(keyFile);
    if (!pem.contains("BEGIN PRIVATE KEY")) {
      throw new GeneralSecurityException(keyFile + " is not a PKCS#8 PEM private key");
    }
    byte[] der =
        Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    String algorithm = chain[0].getPublicKey().getAlgorithm();
    PrivateKey key =
        KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    return new Material(generation, chain, key, stamp);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return material.alias();
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return material.alias();
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return new String[] {material.alias()};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    Material current = material;
    return current.alias().equals(alias) ? current.chain().clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    Material current = material;
    return current.alias().equals(alias) ? current.key() : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
