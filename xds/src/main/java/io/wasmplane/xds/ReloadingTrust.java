package io.wasmplane.xds;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts the client certificates that the CAs in a PEM file signed, and reads the file again when
 * it changes, so that a CA can be added or retired without a restart.
 */
final class ReloadingTrust extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingTrust.class);

  private final Path file;
  private volatile X509ExtendedTrustManager delegate;
  private volatile FileTime loaded;

  /**
   * @throws GeneralSecurityException when the file holds no usable CA certificate
   */
  ReloadingTrust(Path file) throws IOException, GeneralSecurityException {
    this.file = file;
    this.loaded = Files.getLastModifiedTime(file);
    this.delegate = load(file);
  }

  /** Reads the file again if it changed since it was last read; keeps the old CAs if it is bad. */
  void reload() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (!modified.equals(loaded)) {
        delegate = load(file);
        loaded = modified;
        LOG.info("read the xDS client CAs in {} again", file);
      }
    } catch (IOException | GeneralSecurityException e) {
      LOG.warn(
          "cannot read the xDS client CAs in {}; keeping the ones in use: {}",
          file,
          e.getMessage());
    }
  }

  private static X509ExtendedTrustManager load(Path file)
      throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new CertificateException("no certificate in " + file);
      }
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager extended) {
        return extended;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("the xDS server trusts no servers");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
