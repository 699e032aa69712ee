package io.wasmplane.operator.trust;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The operator's own xDS PKI: a CA, and serving certificates it signs for the names proxies dial.
 * Keys are ECDSA P-256; everything goes in and out as PEM.
 */
public final class XdsPki {
  /** How long the CA is valid. */
  static final Duration CA_LIFETIME = Duration.ofDays(3650);

  /** How long a serving certificate is valid. */
  static final Duration SERVING_LIFETIME = Duration.ofDays(365);

  /** A serving certificate is renewed when less than this is left. */
  static final Duration RENEW_BEFORE = Duration.ofDays(120);

  private static final SecureRandom RANDOM = new SecureRandom();

  private XdsPki() {}

  /** A key pair's certificate and private key, as PEM. */
  public record Issued(String certificate, String key) {}

  /** A new self-signed CA. */
  public static Issued newCa(Instant now) {
    KeyPair keys = keyPair();
    X500Name name = new X500Name("CN=wasmplane xDS CA " + now.getEpochSecond());
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            serial(),
            Date.from(now.minusSeconds(300)),
            Date.from(now.plus(CA_LIFETIME)),
            name,
            keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Issued(
          pem("CERTIFICATE", sign(builder, keys.getPrivate()).getEncoded()), pem(keys));
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the xDS CA: " + e.getMessage(), e);
    }
  }

  /** A serving certificate for {@code names} (DNS names or IP addresses) signed by {@code ca}. */
  public static Issued serving(Issued ca, List<String> names, Instant now) {
    return issue(ca, names, now, KeyPurposeId.id_kp_serverAuth);
  }

  /**
   * A client certificate for node {@code nodeId} (its Common Name and DNS name) signed by {@code
   * ca}, as {@code --xds-client-ca} expects proxies to present.
   */
  public static Issued client(Issued ca, String nodeId, Instant now) {
    return issue(ca, List.of(nodeId), now, KeyPurposeId.id_kp_clientAuth);
  }

  private static Issued issue(Issued ca, List<String> names, Instant now, KeyPurposeId purpose) {
    KeyPair keys = keyPair();
    try {
      X509Certificate issuer = certificate(ca.certificate());
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              serial(),
              Date.from(now.minusSeconds(300)),
              Date.from(now.plus(SERVING_LIFETIME)),
              new javax.security.auth.x500.X500Principal("CN=" + names.get(0)),
              keys.getPublic());
      List<GeneralName> alternatives = new ArrayList<>();
      for (String name : names) {
        alternatives.add(
            isAddress(name)
                ? new GeneralName(GeneralName.iPAddress, name)
                : new GeneralName(GeneralName.dNSName, name));
      }
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(alternatives.toArray(new GeneralName[0])));
      X509Certificate signed = sign(builder, privateKey(ca.key()));
      return new Issued(pem("CERTIFICATE", signed.getEncoded()), pem(keys));
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue the xDS certificate: " + e.getMessage(), e);
    }
  }

  /**
   * Whether the serving certificate {@code pem} must be issued again at {@code now}: it expires
   * soon, does not parse, or does not name every one of {@code names}.
   */
  public static boolean renewalDue(String pem, List<String> names, Instant now) {
    try {
      X509Certificate certificate = certificate(pem);
      if (certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
        return true;
      }
      List<String> named = new ArrayList<>();
      if (certificate.getSubjectAlternativeNames() != null) {
        certificate.getSubjectAlternativeNames().forEach(n -> named.add(String.valueOf(n.get(1))));
      }
      return !named.containsAll(names);
    } catch (GeneralSecurityException | RuntimeException e) {
      return true;
    }
  }

  /** Parses the first certificate of {@code pem}. */
  public static X509Certificate certificate(String pem) throws GeneralSecurityException {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no ECDSA P-256 in this JVM", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM);
  }

  private static boolean isAddress(String name) {
    return name.matches("[0-9.]+") || name.contains(":");
  }

  private static String pem(KeyPair keys) {
    return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
