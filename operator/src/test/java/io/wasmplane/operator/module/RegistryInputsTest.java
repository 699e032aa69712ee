package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wasmplane.crd.ImageReference;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Image references, pull secrets and image layers, parsed without a registry. */
class RegistryInputsTest {
  @Test
  void parsesImageReferences() {
    assertThat(ImageReference.parse("private-registry:5000/openid-connect/openid:latest"))
        .isEqualTo(
            new ImageReference("private-registry:5000", "openid-connect/openid", "latest", false));
    assertThat(ImageReference.parse("ghcr.io/org/plugin@sha256:" + "a".repeat(64)))
        .isEqualTo(new ImageReference("ghcr.io", "org/plugin", "sha256:" + "a".repeat(64), true));
    assertThat(ImageReference.parse("test").repository()).isEqualTo("library/test");
    assertThat(ImageReference.parse("test").apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(ImageReference.parse("localhost:5000/p").isLoopback()).isTrue();
    assertThat(ImageReference.parse("127.0.0.1:5000/p:v1").isLoopback()).isTrue();
    assertThat(ImageReference.parse("r.example:5000/p:v1").isLoopback()).isFalse();
  }

  private static com.fasterxml.jackson.databind.JsonNode secret(String type, String config) {
    return PullSecrets.secret(type, ".dockerconfigjson", config);
  }

  @Test
  void readsCredentialsFromDockerConfigSecrets() throws Exception {
    String auth = Base64.getEncoder().encodeToString("user:pa:ss".getBytes(StandardCharsets.UTF_8));
    var withAuth =
        secret(
            "kubernetes.io/dockerconfigjson",
            "{\"auths\":{\"https://r.example:5000/v1/\":{\"auth\":\"" + auth + "\"}}}");
    var withFields =
        secret(
            "kubernetes.io/dockerconfigjson",
            "{\"auths\":{\"r.example\":{\"username\":\"u\",\"password\":\"p\"}}}");

    assertThat(DockerConfig.credentials(withAuth, "ns/pull", "r.example:5000"))
        .isEqualTo(new RegistryCredentials("user", "pa:ss"));
    assertThat(DockerConfig.credentials(withFields, "ns/pull", "r.example"))
        .isEqualTo(new RegistryCredentials("u", "p"));
    assertThat(DockerConfig.credentials(withFields, "ns/pull", "other.example"))
        .as("no entry for the registry: an anonymous pull")
        .isNull();
    assertThatThrownBy(
            () -> DockerConfig.credentials(secret("Opaque", "{}"), "ns/pull", "r.example"))
        .hasMessageContaining(
            "has type \"Opaque\", not kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg");
    assertThatThrownBy(
            () ->
                DockerConfig.credentials(
                    secret("kubernetes.io/dockerconfigjson", "not json"), "ns/pull", "r"))
        .hasMessageContaining("is not JSON");
    assertThat(new RegistryCredentials("u", "secret").toString()).doesNotContain("secret");
  }

  private static byte[] tarGz(String name, byte[] content) throws Exception {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    byte[] header = new byte[512];
    System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, header, 0, name.length());
    byte[] size = String.format("%011o", content.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, header, 124, size.length);
    header[156] = '0';
    tar.writeBytes(header);
    tar.writeBytes(content);
    tar.writeBytes(new byte[(512 - content.length % 512) % 512 + 1024]);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar.toByteArray());
    }
    return gz.toByteArray();
  }

  @Test
  void extractsPluginWasmFromATarGzLayer() throws Exception {
    byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0};

    assertThat(TarGzLayer.wasm(tarGz("./plugin.wasm", wasm), "img", 4096)).isEqualTo(wasm);
    assertThat(TarGzLayer.wasm(tarGz("filter.wasm", wasm), "img", 4096)).isEqualTo(wasm);
    assertThatThrownBy(() -> TarGzLayer.wasm(tarGz("README", wasm), "img", 4096))
        .hasMessageContaining("has no plugin.wasm");
    assertThatThrownBy(() -> TarGzLayer.wasm(wasm, "img", 4096))
        .hasMessageContaining("not a tar.gz");
    assertThatThrownBy(() -> WasmBytes.requireWasm("<html>".getBytes(StandardCharsets.UTF_8), "u"))
        .hasMessageContaining("is not a WebAssembly module");
  }

  @Test
  void aLayerThatDecompressesPastTheLimitIsRefused() throws Exception {
    byte[] big = new byte[64 * 1024];
    big[1] = 'a';
    big[2] = 's';
    big[3] = 'm';
    byte[] layer = tarGz("plugin.wasm", big);
    assertThat(layer.length).isLessThan(16 * 1024);

    assertThat(TarGzLayer.wasm(layer, "img", 128 * 1024)).isEqualTo(big);
    assertThatThrownBy(() -> TarGzLayer.wasm(layer, "img", 16 * 1024))
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("ModuleTooLarge");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "img has a last layer that decompresses to more than the limit of 16384"
                          + " bytes");
            });
    // The entry fits, but the tar's own headers and padding take the layer past the limit.
    assertThatThrownBy(() -> TarGzLayer.wasm(layer, "img", 64 * 1024 + 100))
        .hasMessageContaining("decompresses to more than the limit");
  }
}
