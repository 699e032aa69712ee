package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.testbed.Archives;
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

/**
 * Module inputs Istio users bring: packed http(s) modules, Docker-style pull secret keys, and
 * Secrets without an entry for the registry.
 */
@ExtendWith(OciRegistryExtension.class)
class ModuleInputsIT extends DirectoryFixture {
  private static final Duration CONVERGE = Duration.ofSeconds(40);

  @Test
  void aGzipModuleOverHttpsAndATarGzOverHttpRunInEnvoy() throws Exception {
    byte[] module = WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN);
    byte[] gzip = Archives.gzip(module);
    byte[] tarGz = Archives.gzip(Archives.tar(Map.of("dist/filter.wasm", module)));
    try (ModuleServer plain = ModuleServer.http(Map.of("bundle", tarGz));
        ModuleServer secure = httpsModules(Map.of("filter.wasm.gz", gzip))) {
      String sha = Digests.sha256Hex(module);
      controlPlane.write(
          "p.yaml",
          ociPlugin("gzipped", secure.url("filter.wasm.gz"), "sha256: \"" + sha + "\"\npriority: 2")
              + "---\n"
              + ociPlugin("tarred", plain.url("bundle"), "priority: 1"));

      controlPlane.awaitChain(proxy("app-1"), CONVERGE, mark("gzipped"), mark("tarred"));
      assertThat(controlPlane.get("/debug/plugins"))
          .as("status shows the digest of the unpacked module")
          .contains("\"moduleDigest\" : \"" + sha + "\"")
          .doesNotContain(Digests.sha256Hex(gzip));
    }
  }

  @Test
  void aPullSecretKeyInUrlFormMatchesItsRegistry(@Htpasswd OciRegistry registry) throws Exception {
    PushedImage image = push(registry, "url-key");
    // A key in url form, as Docker Hub's https://index.docker.io/v1/ is.
    controlPlane.write(
        "secret.yaml",
        pullSecret(
            "http://" + registry.host() + "/v2/",
            OciRegistryExtension.USER,
            OciRegistryExtension.PASSWORD));
    controlPlane.write(
        "p.yaml", ociPlugin("private", "oci://" + image.reference(), "imagePullSecret: pull"));

    controlPlane.awaitChain(proxy("app-1"), CONVERGE, mark("private"));
  }

  @Test
  void aPullSecretWithoutAnEntryForTheRegistryPullsAnonymously(OciRegistry registry)
      throws Exception {
    PushedImage image = push(registry, "anonymous");
    controlPlane.write(
        "secret.yaml", pullSecret("https://index.docker.io/v1/", "someone", "secret"));
    controlPlane.write(
        "p.yaml", ociPlugin("public", "oci://" + image.reference(), "imagePullSecret: pull"));
    Envoy envoy = proxy("app-1");

    controlPlane.awaitChain(envoy, CONVERGE, mark("public"));
  }

  private static PushedImage push(OciRegistry registry, String prefix) throws Exception {
    return WasmImages.push(
        registry,
        repo(prefix),
        "v1",
        WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN),
        WasmImageFormat.DOCKER_IMAGE_TAR);
  }

  /** A Secret "pull" in "shop" as {@code kubectl create secret docker-registry} makes it. */
  private static String pullSecret(String key, String user, String password) {
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    String config =
        "{\"auths\":{\"%s\":{\"username\":\"%s\",\"password\":\"%s\",\"auth\":\"%s\"}}}"
            .formatted(key, user, password, auth);
    return pullSecretYaml(config);
  }
}
