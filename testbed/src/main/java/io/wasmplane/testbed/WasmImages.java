package io.wasmplane.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Packages Wasm modules as images in each supported format and pushes them to a registry. */
public final class WasmImages {
  private WasmImages() {}

  /** Pushes the Wasm fixture {@code fixture} as {@code repository:tag}, a single Wasm layer. */
  public static PushedImage pushFixture(
      OciRegistry registry, String repository, String tag, String fixture) throws IOException {
    return push(
        registry, repository, tag, WasmFixtures.bytes(fixture), WasmImageFormat.OCI_WASM_LAYER);
  }

  /** Pushes {@code module} as {@code repository:tag} in {@code format}. */
  public static PushedImage push(
      OciRegistry registry, String repository, String tag, byte[] module, WasmImageFormat format)
      throws IOException {
    OciClient client = registry.client();
    String manifestType;
    String configType;
    String layerType;
    byte[] config;
    byte[] layer;
    switch (format) {
      case OCI_WASM_LAYER -> {
        manifestType = "application/vnd.oci.image.manifest.v1+json";
        configType = "application/vnd.module.wasm.config.v1+json";
        layerType = "application/vnd.module.wasm.content.layer.v1+wasm";
        config = "{}".getBytes(StandardCharsets.UTF_8);
        layer = module;
      }
      case OCI_IMAGE_TAR, DOCKER_IMAGE_TAR -> {
        boolean oci = format == WasmImageFormat.OCI_IMAGE_TAR;
        manifestType =
            oci
                ? "application/vnd.oci.image.manifest.v1+json"
                : "application/vnd.docker.distribution.manifest.v2+json";
        configType =
            oci
                ? "application/vnd.oci.image.config.v1+json"
                : "application/vnd.docker.container.image.v1+json";
        layerType =
            oci
                ? "application/vnd.oci.image.layer.v1.tar+gzip"
                : "application/vnd.docker.image.rootfs.diff.tar.gzip";
        byte[] tar = tar("plugin.wasm", module);
        layer = gzip(tar);
        config =
            ("{\"architecture\":\"wasm\",\"os\":\"wasip1\",\"rootfs\":{\"type\":\"layers\","
                    + "\"diff_ids\":[\"sha256:"
                    + Digests.sha256Hex(tar)
                    + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
      }
      default -> throw new IllegalArgumentException(format.toString());
    }
    String configDigest = client.pushBlob(repository, config);
    String layerDigest = client.pushBlob(repository, layer);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d},\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d}]}"
            .formatted(
                manifestType,
                configType,
                configDigest,
                config.length,
                layerType,
                layerDigest,
                layer.length);
    String digest =
        client.pushManifest(
            repository, tag, manifestType, manifest.getBytes(StandardCharsets.UTF_8));
    return new PushedImage(
        registry.host() + "/" + repository + ":" + tag, digest, Digests.sha256Hex(module));
  }

  /** A POSIX ustar archive holding one regular file. */
  static byte[] tar(String name, byte[] content) {
    return Archives.tar(Map.of(name, content));
  }

  private static byte[] gzip(byte[] content) {
    return Archives.gzip(content);
  }
}
