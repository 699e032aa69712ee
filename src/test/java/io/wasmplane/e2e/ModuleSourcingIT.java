package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Digests;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.Htpasswd;
import io.wasmplane.testbed.ModuleServer;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.OciRegistryExtension;
import io.wasmplane.testbed.PushedImage;
import io.wasmplane.testbed.SelfSignedCertificate;
import io.wasmplane.testbed.SidecarBootstrap;
import io.wasmplane.testbed.WasmFixtures;
import io.wasmplane.testbed.WasmImageFormat;
import io.wasmplane.testbed.WasmImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Modules from a real OCI registry: fetched by the operator (with pull secrets), cached, and served
 * to a real Envoy from the operator's module server.
 */
@ExtendWith(OciRegistryExtension.class)
class ModuleSourcingIT {
  private static final Duration CONVERGE = Duration.ofSeconds(40);

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();
  private DirectoryControlPlane controlPlane;
  private EchoUpstream upstream;

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

  private Envoy proxy(String pod, String... labels) {
    SidecarBootstrap bootstrap = controlPlane.sidecar(pod, "shop", upstream);
    for (int i = 0; i < labels.length; i += 2) {
      bootstrap.label(labels[i], labels[i + 1]);
    }
    return envoys.start(bootstrap.template());
  }

  private static String ociPlugin(String name, String url, String extra) {
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

  private static String repo(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Pushes the header-chain fixture as {@code repository:v1} in {@code format}. */
  private static PushedImage pushHeaderChain(
      OciRegistry registry, String repository, WasmImageFormat format) throws Exception {
    return WasmImages.push(
        registry, repository, "v1", WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN), format);
  }

  private void awaitChain(Envoy envoy, String... marks) throws Exception {
    try {
      awaitChainOnce(envoy, marks);
    } catch (Throwable t) {
      System.err.println("/debug/proxies: " + controlPlane.get("/debug/proxies"));
      System.err.println("/debug/plugins: " + controlPlane.get("/debug/plugins"));
      throw t;
    }
  }

  private void awaitChainOnce(Envoy envoy, String... marks) {
    Chains.await(envoy, "http", CONVERGE, marks);
  }

  @ParameterizedTest
  @EnumSource(WasmImageFormat.class)
  void eachImageFormatRunsInEnvoyThroughOci(WasmImageFormat format, OciRegistry registry)
      throws Exception {
    PushedImage image =
        pushHeaderChain(registry, repo("formats/" + format.name().toLowerCase()), format);
    controlPlane.write("p.yaml", ociPlugin("fmt", "oci://" + image.reference(), ""));
    Envoy envoy = proxy("app-1");

    awaitChain(envoy, mark("fmt"));
    String plugins = controlPlane.get("/debug/plugins");
    assertThat(plugins)
        .contains("\"moduleDigest\" : \"" + image.moduleSha256() + "\"")
        .contains("\"imageDigest\" : \"" + image.manifestDigest() + "\"");
    assertThat(controlPlane.get("/metrics")).contains("wasmplane_module_downloads_total 1");
  }

  @Test
  void inlineDeliveryPutsTheBytesInEcdsAndServesNoModule(OciRegistry registry) throws Exception {
    controlPlane.close();
    controlPlane = DirectoryControlPlane.start("--module-delivery", "inline");
    PushedImage image = pushHeaderChain(registry, repo("inline"), WasmImageFormat.OCI_WASM_LAYER);
    controlPlane.write("p.yaml", ociPlugin("inline", "oci://" + image.reference(), ""));

    awaitChain(proxy("app-1"), mark("inline"));
    assertThat(controlPlane.get("/metrics")).contains("wasmplane_module_downloads_total 0");
  }

  @Test
  void httpAndHttpsSourcesWorkAndAMismatchedSha256IsCaught() throws Exception {
    byte[] module = WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN);
    SelfSignedCertificate certificate = SelfSignedCertificate.create();
    try (ModuleServer plain = ModuleServer.http(Map.of("plugin.wasm", module));
        ModuleServer secure =
            ModuleServer.https(Map.of("plugin.wasm", module), certificate.serverContext())) {
      controlPlane.close();
      controlPlane =
          DirectoryControlPlane.start("--module-ca-file", certificate.caFile().toString());
      String sha = Digests.sha256Hex(module);
      controlPlane.write(
          "p.yaml",
          ociPlugin("over-http", plain.url("plugin.wasm"), "sha256: \"" + sha + "\"\npriority: 3")
              + "---\n"
              + ociPlugin(
                  "over-https", secure.url("plugin.wasm"), "imagePullPolicy: Always\npriority: 2")
              + "---\n"
              + ociPlugin(
                  "bad-sum",
                  plain.url("plugin.wasm"),
                  "sha256: \"" + "2".repeat(64) + "\"\nfailStrategy: FAIL_OPEN\npriority: 1"));

      awaitChain(proxy("app-1"), mark("over-http"), mark("over-https"));
      assertThat(controlPlane.get("/debug/plugins"))
          .contains(
              "ChecksumMismatch: sha256 "
                  + "2".repeat(64)
                  + " does not match the module's sha256 "
                  + sha);
    }
  }

  @Test
  void aBareReferenceAndADigestPinnedReferenceBothWork(OciRegistry registry) throws Exception {
    PushedImage image =
        pushHeaderChain(registry, repo("refs/bare"), WasmImageFormat.OCI_WASM_LAYER);
    controlPlane.write(
        "p.yaml",
        ociPlugin("bare", image.reference(), "priority: 2")
            + "---\n"
            + ociPlugin(
                "pinned",
                "oci://" + image.digestReference(),
                "priority: 1\nsha256: " + image.manifestDigest().substring(7)));

    awaitChain(proxy("app-1"), mark("bare"), mark("pinned"));
  }

  @Test
  void threePluginsSharingOneModuleAppliedAtOnceAllRun(OciRegistry registry) throws Exception {
    PushedImage image = pushHeaderChain(registry, repo("shared"), WasmImageFormat.OCI_WASM_LAYER);
    String url = "oci://" + image.reference();
    controlPlane.write(
        "three.yaml",
        String.join(
            "---\n",
            ociPlugin("one", url, "priority: 3"),
            ociPlugin("two", url, "priority: 2"),
            ociPlugin("three", url, "priority: 1")));

    awaitChain(proxy("app-1"), mark("one"), mark("two"), mark("three"));
    String path =
        "/v2/"
            + image.reference().substring(registry.host().length() + 1).replace(":v1", "")
            + "/manifests/";
    assertThat(registry.getCount(path)).as("manifest pulls").isEqualTo(1);
    assertThat(controlPlane.get("/metrics"))
        .as("the proxy downloads the shared module once")
        .contains("wasmplane_module_downloads_total 1");
  }

  private static String pullSecret(String registry, String user, String password) {
    String config =
        "{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}"
            .formatted(
                registry,
                Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
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

  @Test
  void aPrivateRegistryNeedsTheRightPullSecretAndAFixedSecretHealsThePlugin(
      @Htpasswd OciRegistry registry) throws Exception {
    PushedImage image =
        pushHeaderChain(registry, repo("private"), WasmImageFormat.DOCKER_IMAGE_TAR);
    controlPlane.write(
        "p.yaml",
        ociPlugin(
            "private",
            "oci://" + image.reference(),
            "imagePullSecret: pull\nfailStrategy: FAIL_OPEN"));
    Envoy envoy = proxy("app-1");

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(controlPlane.get("/debug/plugins"))
                    .contains("PullSecretNotFound: pull secret shop/pull does not exist"));
    controlPlane.write(
        "secret.yaml", pullSecret(registry.host(), OciRegistryExtension.USER, "wrong"));
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> assertThat(controlPlane.get("/debug/plugins")).contains("RegistryUnauthorized"));
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(Traffic.get(envoy.port("http")).status())
                    .as("FAIL_OPEN passes traffic")
                    .isEqualTo(200));

    controlPlane.write(
        "secret.yaml",
        pullSecret(registry.host(), OciRegistryExtension.USER, OciRegistryExtension.PASSWORD));

    awaitChain(envoy, mark("private"));
  }

  @Test
  void aSha256MismatchIsReportedWithBothDigestsAndFailsClosed(OciRegistry registry)
      throws Exception {
    PushedImage image = pushHeaderChain(registry, repo("mismatch"), WasmImageFormat.OCI_WASM_LAYER);
    controlPlane.write(
        "p.yaml",
        ociPlugin("bad-sum", "oci://" + image.reference(), "sha256: \"" + "0".repeat(64) + "\""));
    Envoy envoy = proxy("app-1");

    await()
        .atMost(CONVERGE)
        .untilAsserted(() -> assertThat(Traffic.get(envoy.port("http")).status()).isEqualTo(503));
    assertThat(controlPlane.get("/debug/plugins"))
        .contains("ChecksumMismatch")
        .contains(image.manifestDigest())
        .contains(image.moduleSha256());
  }

  @Test
  void alwaysPullsAgainOnEveryChangeAndIfNotPresentDoesNot(OciRegistry registry) throws Exception {
    String always = repo("policy/always");
    String ifNotPresent = repo("policy/ifnotpresent");
    byte[] module = WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN);
    WasmImages.push(registry, always, "v1", module, WasmImageFormat.OCI_WASM_LAYER);
    WasmImages.push(registry, ifNotPresent, "v1", module, WasmImageFormat.OCI_WASM_LAYER);
    String a = "oci://" + registry.host() + "/" + always + ":v1";
    String b = "oci://" + registry.host() + "/" + ifNotPresent + ":v1";
    Envoy envoy = proxy("app-1");

    for (int change = 1; change <= 3; change++) {
      controlPlane.write(
          "p.yaml",
          ociPlugin("always", a, "imagePullPolicy: Always\npriority: " + (10 + change))
                  .replace(
                      "namespace: shop}", "namespace: shop, labels: {rev: \"" + change + "\"}}")
              + "---\n"
              + ociPlugin("cached", b, "imagePullPolicy: IfNotPresent\npriority: " + change));
      int expected = change;
      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () ->
                  assertThat(registry.getCount("/v2/" + always + "/manifests/"))
                      .isEqualTo(expected));
      awaitChain(envoy, mark("always"), mark("cached"));
    }
    assertThat(registry.getCount("/v2/" + ifNotPresent + "/manifests/")).isEqualTo(1);
  }

  @Test
  void failStrategiesHoldWhileTheRegistryIsDownAndPluginsHealWhenItReturns() throws Exception {
    try (OciRegistry registry = OciRegistry.startPlain()) {
      PushedImage image =
          WasmImages.push(
              registry,
              "outage/plugin",
              "v1",
              WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN),
              WasmImageFormat.OCI_WASM_LAYER);
      registry.stop();
      String url = "oci://" + image.reference();
      controlPlane.write(
          "p.yaml",
          ociPlugin("open", url, "failStrategy: FAIL_OPEN\nselector: {matchLabels: {mode: open}}")
              + "---\n"
              + ociPlugin("closed", url, "selector: {matchLabels: {mode: closed}}"));
      Envoy open = proxy("open-1", "mode", "open");
      Envoy closed = proxy("closed-1", "mode", "closed");

      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () -> {
                Traffic.Reply reply = Traffic.get(open.port("http"));
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.chain()).isEmpty();
              });
      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () -> assertThat(Traffic.get(closed.port("http")).status()).isEqualTo(503));
      assertThat(controlPlane.get("/debug/plugins")).contains("FetchFailed");

      registry.restart();

      awaitChain(open, mark("open"));
      awaitChain(closed, mark("closed"));
    }
  }

  @Test
  void theCacheSurvivesARestartSoNothingIsPulledAgain(OciRegistry registry) throws Exception {
    Path cache = Files.createTempDirectory("wasmplane-cache-");
    controlPlane.close();
    controlPlane = DirectoryControlPlane.start(cache);
    String repository = repo("restart");
    PushedImage image =
        WasmImages.push(
            registry,
            repository,
            "v1",
            WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN),
            WasmImageFormat.OCI_IMAGE_TAR);
    String plugin =
        ociPlugin("kept", "oci://" + image.reference(), "imagePullPolicy: IfNotPresent");
    controlPlane.write("p.yaml", plugin);
    awaitChain(proxy("app-1"), mark("kept"));
    assertThat(registry.getCount("/v2/" + repository + "/manifests/")).isEqualTo(1);

    controlPlane.close();
    controlPlane = DirectoryControlPlane.start(cache);
    controlPlane.write("p.yaml", plugin);

    awaitChain(proxy("app-2"), mark("kept"));
    assertThat(registry.getCount("/v2/" + repository + "/manifests/")).isEqualTo(1);
  }
}
