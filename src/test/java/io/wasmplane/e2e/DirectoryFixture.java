package io.wasmplane.e2e;

import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.ModuleServer;
import io.wasmplane.testbed.SelfSignedCertificate;
import io.wasmplane.testbed.SidecarBootstrap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each test's directory-mode control plane, echo app and Envoys, for the directory-mode ITs. */
abstract class DirectoryFixture {
  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();

  /** The control plane; a test may close it and put another in its place. */
  DirectoryControlPlane controlPlane;

  EchoUpstream upstream;

  @BeforeEach
  void start() throws Exception {
    controlPlane = DirectoryControlPlane.start();
    upstream = EchoUpstream.start();
  }

  @AfterEach
  void stop() throws Exception {
    upstream.close();
    if (controlPlane != null) {
      controlPlane.close();
    }
  }

  /**
   * Starts a sidecar for {@code pod} in namespace "shop", labelled with the {@code labels} key,
   * value pairs, with an inbound HTTP listener "http" in front of the app.
   */
  Envoy proxy(String pod, String... labels) {
    SidecarBootstrap bootstrap = controlPlane.sidecar(pod, "shop", upstream);
    for (int i = 0; i < labels.length; i += 2) {
      bootstrap.label(labels[i], labels[i + 1]);
    }
    return envoys.start(bootstrap.template());
  }

  /**
   * The bootstrap of a sidecar for {@code pod} in {@code namespace}, with the app as its cluster
   * "app" and no listener yet: unlike {@link #proxy(String, String...)}, it starts nothing.
   */
  SidecarBootstrap bootstrap(String pod, String namespace) {
    return SidecarBootstrap.proxy(pod, namespace)
        .controlPlane(controlPlane.xdsPort(), controlPlane.httpPort())
        .cluster("app", upstream.port());
  }

  /** Starts {@code proxy} with one inbound HTTP listener "http" in front of the app. */
  Envoy httpProxy(SidecarBootstrap proxy) {
    return envoys.start(proxy.inbound("http", "HTTP", 8080, "app").template());
  }

  /** A WasmPlugin {@code name} in "shop" fetching {@code url}, with extra spec lines. */
  static String ociPlugin(String name, String url, String extra) {
    return """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: %s, namespace: shop}
        spec:
          url: %s
          pluginConfig: {name: %s}
        %s"""
        .formatted(name, url, name, extra.indent(2));
  }

  /**
   * Serves {@code modules} over https with a new self-signed certificate, and puts a control plane
   * that trusts it for module downloads in place of the running one.
   */
  ModuleServer httpsModules(Map<String, byte[]> modules) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create();
    ModuleServer server = ModuleServer.https(modules, certificate.serverContext());
    controlPlane.close();
    controlPlane = DirectoryControlPlane.start("--module-ca-file", certificate.caFile().toString());
    return server;
  }

  /** A dockerconfigjson Secret "pull" in "shop" holding {@code config}. */
  static String pullSecretYaml(String config) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: pull, namespace: shop}
        type: kubernetes.io/dockerconfigjson
        data:
          .dockerconfigjson: %s
        """
        .formatted(Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8)));
  }

  /** A repository name that no other test uses. */
  static String repo(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
