package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ChannelCredentials;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.wasmplane.operator.trust.XdsPki;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Directory mode with {@code --xds-tls-cert}, {@code --xds-tls-key} and {@code --xds-client-ca}
 * against a real Envoy: a proxy presents a client certificate for its node id, and certificates and
 * CAs rotate on both sides without a restart.
 */
class XdsTlsIT {
  private static final Duration CONVERGE = Duration.ofSeconds(40);
  private static final String NODE = "web-1.shop";

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();

  private final Path server;
  private final Path sidecar;

  XdsTlsIT() throws IOException {
    server = Files.createTempDirectory("xds-server-tls-");
    sidecar = Files.createTempDirectory("xds-sidecar-tls-");
  }

  @Test
  void onlyAClientCertificateForTheNodeGetsItsChain() throws Exception {
    XdsPki.Issued ca = XdsPki.newCa(Instant.now());
    serve(ca, ca.certificate());
    mount(ca.certificate(), XdsPki.client(ca, NODE, Instant.now()));
    try (DirectoryControlPlane controlPlane = start();
        EchoUpstream upstream = EchoUpstream.start()) {
      controlPlane.write("guard.yaml", Plugins.chain("shop", "guard", ""));
      Envoy envoy = envoys.start(sidecarOf(controlPlane, upstream));
      controlPlane.awaitChain(envoy, CONVERGE, mark("guard"));

      XdsPki.Issued stranger = XdsPki.client(ca, "web-2.shop", Instant.now());
      try (AdsProbe probe = probe(controlPlane, ca, stranger)) {
        Status status = probe.awaitRefusal(CONVERGE);
        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).contains("web-2.shop").contains(NODE);
      }
      try (AdsProbe probe = probe(controlPlane, ca, null)) {
        assertThat(probe.awaitRefusal(CONVERGE).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(probe.responses()).isEmpty();
      }
    }
  }

  @Test
  void certificatesAndCasRotateOnBothSidesWithoutRestarts() throws Exception {
    XdsPki.Issued first = XdsPki.newCa(Instant.now());
    serve(first, first.certificate());
    mount(first.certificate(), XdsPki.client(first, NODE, Instant.now()));
    try (DirectoryControlPlane controlPlane = start("--xds-max-connection-age", "2s");
        EchoUpstream upstream = EchoUpstream.start()) {
      controlPlane.write("guard.yaml", Plugins.chain("shop", "guard", ""));
      Envoy envoy = envoys.start(sidecarOf(controlPlane, upstream));
      controlPlane.awaitChain(envoy, CONVERGE, mark("guard"));

      // A second CA: the server trusts both for clients, the sidecar trusts both for the server
      // and presents a certificate of the second.
      XdsPki.Issued second = XdsPki.newCa(Instant.now());
      XdsPki.Issued secondClient = XdsPki.client(second, NODE, Instant.now());
      write(server.resolve("client-ca.crt"), first.certificate() + second.certificate());
      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () -> {
                try (AdsProbe probe = probe(controlPlane, first, secondClient)) {
                  assertThat(probe.awaitResponse(CONVERGE).getTypeUrl()).isEqualTo(FleetProxy.LDS);
                }
              });
      mount(first.certificate() + second.certificate(), secondClient);
      // The server moves to a certificate of the second CA.
      serve(second, first.certificate() + second.certificate());
      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () -> {
                try (AdsProbe probe = probe(controlPlane, second, secondClient)) {
                  assertThat(probe.awaitResponse(CONVERGE).getTypeUrl()).isEqualTo(FleetProxy.LDS);
                }
              });
      // The first CA goes: only what the sidecar took up after the rotation still connects.
      Instant rotated = Instant.now();
      write(server.resolve("client-ca.crt"), second.certificate());
      await()
          .atMost(CONVERGE)
          .until(
              () ->
                  controlPlane.operator().xds().sessions().stream()
                      .anyMatch(s -> s.connectedAt().isAfter(rotated.plusSeconds(6))));
      controlPlane.awaitChain(envoy, CONVERGE, mark("guard"));
    }
  }

  private DirectoryControlPlane start(String... flags) throws IOException {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "--xds-tls-cert", server.resolve("tls.crt").toString(),
                "--xds-tls-key", server.resolve("tls.key").toString(),
                "--xds-client-ca", server.resolve("client-ca.crt").toString()));
    all.addAll(List.of(flags));
    return DirectoryControlPlane.start(all.toArray(new String[0]));
  }

  private String sidecarOf(DirectoryControlPlane controlPlane, EchoUpstream upstream) {
    return controlPlane
        .sidecar("web-1", "shop", upstream)
        .tlsFromSds(sidecar, "localhost")
        .template();
  }

  /** The server's files: a certificate for localhost signed by {@code ca}, and client CAs. */
  private void serve(XdsPki.Issued ca, String clientCas) throws IOException {
    XdsPki.Issued certificate =
        XdsPki.serving(ca, List.of("localhost", "127.0.0.1"), Instant.now());
    write(server.resolve("tls.key"), certificate.key());
    write(server.resolve("tls.crt"), certificate.certificate());
    write(server.resolve("client-ca.crt"), clientCas);
  }

  /**
   * What the sidecar mounts, swapped in as kubelet swaps a volume: the CAs it trusts for the server
   * and its client certificate, with the SDS files that name them.
   */
  private void mount(String serverCas, XdsPki.Issued client) throws IOException {
    Path fresh = Files.createTempDirectory(sidecar, "..data-");
    Files.writeString(fresh.resolve("ca.crt"), serverCas);
    Files.writeString(fresh.resolve("tls.crt"), client.certificate());
    Files.writeString(fresh.resolve("tls.key"), client.key());
    Path link = sidecar.resolve("..data_tmp");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, fresh.getFileName());
    Files.move(link, sidecar.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    Path data = sidecar.resolve("..data");
    if (!Files.exists(sidecar.resolve("ca-sds.yaml"))) {
      write(
          sidecar.resolve("ca-sds.yaml"),
          """
          resources:
          - "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret
            name: wasmplane-ca
            validation_context:
              trusted_ca: {filename: %s/ca.crt}
              match_typed_subject_alt_names: [{san_type: DNS, matcher: {exact: localhost}}]
          """
              .formatted(data));
      write(
          sidecar.resolve("cert-sds.yaml"),
          """
          resources:
          - "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret
            name: wasmplane-client
            tls_certificate:
              certificate_chain: {filename: %s/tls.crt}
              private_key: {filename: %s/tls.key}
          """
              .formatted(data, data));
    }
  }

  private static void write(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(temporary, content);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private AdsProbe probe(
      DirectoryControlPlane controlPlane, XdsPki.Issued trusted, XdsPki.Issued client)
      throws IOException {
    Path dir = Files.createTempDirectory("probe-");
    Path ca = Files.writeString(dir.resolve("ca.crt"), trusted.certificate());
    TlsChannelCredentials.Builder credentials =
        TlsChannelCredentials.newBuilder().trustManager(ca.toFile());
    if (client != null) {
      try {
        credentials.keyManager(new ClientKeys(client.certificate(), client.key()));
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
    }
    ChannelCredentials built = credentials.build();
    return AdsProbe.open(controlPlane.xdsPort(), built, "localhost", NODE, "shop");
  }
}
