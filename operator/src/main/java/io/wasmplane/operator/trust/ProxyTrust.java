package io.wasmplane.operator.trust;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ServerCredentials;
import io.wasmplane.xds.CertificateAuthenticator;
import io.wasmplane.xds.ProxyAuthenticator;
import io.wasmplane.xds.XdsSecurity;
import io.wasmplane.xds.XdsTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How proxies are trusted, from the flags: what their credentials must prove on the xDS port and
 * the module server, and whether xDS runs over TLS.
 *
 * @param xds the xDS port's TLS, authentication and bounds
 * @param modules what callers of the module server must prove
 */
public record ProxyTrust(XdsSecurity xds, ProxyAuthenticator modules) {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyTrust.class);

  /** TokenReviews per second, on average, and at once. */
  private static final double REVIEWS_PER_SECOND = 50;

  private static final int REVIEW_BURST = 200;

  /**
   * What the flags say.
   *
   * @param flags the xDS flags
   * @param ownNamespace the operator's namespace, where its own certificate is kept
   * @param client the cluster, or null in directory mode
   * @param bindAddress where the ports listen, to warn about plaintext beyond loopback
   * @param reloads runs the periodic re-reading of certificate files
   */
  public static ProxyTrust of(
      XdsFlags flags,
      String ownNamespace,
      KubernetesClient client,
      String bindAddress,
      ScheduledExecutorService reloads) {
    String mode = AuthMode.of(flags.auth(), client != null, flags.clientCa() != null);
    ProxyAuthenticator authenticator =
        switch (mode) {
          case AuthMode.TOKEN -> tokenReviews(client, flags.tokenAudience());
          case AuthMode.MTLS -> new CertificateAuthenticator();
          default -> ProxyAuthenticator.NONE;
        };
    Path certificate = flags.tlsCert();
    Path key = flags.tlsKey();
    if (client != null && certificate == null && !flags.plaintext()) {
      XdsServingSecret own = ownCertificate(flags, ownNamespace, client);
      own.start(reloads);
      certificate = own.certificate();
      key = own.key();
    }
    ServerCredentials credentials =
        certificate == null
            ? null
            : XdsTls.credentials(certificate, key, flags.clientCa(), reloads);
    if (credentials == null && !loopback(bindAddress)) {
      LOG.warn(
          "xDS is served in plaintext on {}: anyone on the network path can read and change what"
              + " proxies receive; give --xds-tls-cert and --xds-tls-key",
          bindAddress);
    }
    if (mode.equals(AuthMode.NONE) && !loopback(bindAddress)) {
      LOG.warn(
          "proxies are not authenticated (--xds-auth=none): any caller that reaches port {} can"
              + " read any proxy's configuration",
          bindAddress);
    }
    LOG.info(
        "proxies authenticate with {}; xDS {}",
        mode,
        credentials == null ? "in plaintext" : "over TLS");
    XdsSecurity xds =
        new XdsSecurity(
            credentials, authenticator, flags.maxConnectionAge(), flags.maxStreamsPerProxy());
    // The module port speaks plain HTTP, so a client certificate cannot reach it; a token can.
    return new ProxyTrust(
        xds, mode.equals(AuthMode.TOKEN) ? authenticator : ProxyAuthenticator.NONE);
  }

  private static XdsServingSecret ownCertificate(
      XdsFlags flags, String namespace, KubernetesClient client) {
    String service = flags.service();
    try {
      return new XdsServingSecret(
          client,
          new XdsServingSecret.Names(
              namespace, flags.tlsSecret(), flags.bootstrapConfigMap(), flags.externalIssuer()),
          List.of(
              service + "." + namespace + ".svc",
              service + "." + namespace + ".svc.cluster.local",
              service + "." + namespace,
              service,
              "localhost",
              "127.0.0.1"),
          java.nio.file.Files.createTempDirectory("wasmplane-xds-tls-"),
          Clock.systemUTC());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot make a directory for the xDS certificate", e);
    }
  }

  private static ProxyAuthenticator tokenReviews(KubernetesClient client, String audience) {
    return new TokenReviews(
        token ->
            client
                .authentication()
                .v1()
                .tokenReviews()
                .create(
                    new TokenReviewBuilder()
                        .withNewSpec()
                        .withToken(token)
                        .withAudiences(List.of(audience))
                        .endSpec()
                        .build())
                .getStatus(),
        audience,
        Clock.systemUTC(),
        new ReviewBudget(REVIEWS_PER_SECOND, REVIEW_BURST));
  }

  private static boolean loopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
