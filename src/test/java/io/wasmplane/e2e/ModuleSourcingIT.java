package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Digests;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.Htpasswd;
import io.wasmplane.testbed.ModuleServer;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.OciRegistryExtension;
import io.wasmplane.testbed.PushedImage;
import io.wasmplane.testbed.WasmFixtures;
import io.wasmplane.testbed.WasmImageFormat;
import io.wasmplane.testbed.WasmImages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Modules from OCI registries and HTTP(S) servers, fetched, verified and served to Envoy. */
@ExtendWith(OciRegistryExtension.class)
class ModuleSourcingIT extends DirectoryFixture {
  private static final Duration CONVERGE = Duration.ofSeconds(40);

  /** Pushes the header-chain fixture as {@code repository:v1} in {@code format}. */
  private static PushedImage pushHeaderChain(
      OciRegistry registry, String repository, WasmImageFormat format) throws Exception {
    return WasmImages.push(
        registry, repository, "v1", WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN), format);
  }

  private void awaitChain(Envoy envoy, String... marks) throws Exception {
    controlPlane.awaitChain(envoy, CONVERGE, marks);
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
    try (ModuleServer plain = ModuleServer.http(Map.of("plugin.wasm", module));
        ModuleServer secure = httpsModules(Map.of("plugin.wasm", module))) {
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
    return pullSecretYaml(config);
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
}
