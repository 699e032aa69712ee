package io.wasmplane.e2e;

import java.net.Socket;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A client certificate that is presented whatever CAs the server's request lists, as Envoy does: a
 * server that took up a new client CA still lists the CAs it started with.
 */
final class ClientKeys extends X509ExtendedKeyManager {
  private final X509Certificate certificate;
  private final PrivateKey key;

  ClientKeys(String certificatePem, String keyPem) throws java.security.GeneralSecurityException {
    this.certificate = io.wasmplane.operator.trust.XdsPki.certificate(certificatePem);
    byte[] der =
        Base64.getDecoder()
            .decode(keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    this.key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return "client";
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return "client";
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return new String[] {"client"};
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return new X509Certificate[] {certificate};
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return key;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
