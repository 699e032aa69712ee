package io.wasmplane.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Proves that the testbed's registry stores pushed Wasm images and serves them back. */
@ExtendWith(OciRegistryExtension.class)
class OciRegistrySmokeIT {

  @ParameterizedTest
  @EnumSource(WasmImageFormat.class)
  void servesBackAPushedWasmImage(WasmImageFormat format, OciRegistry registry) throws Exception {
    byte[] module = WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN);
    String repository = "smoke/" + format.name().toLowerCase().replace('_', '-');

    PushedImage image = WasmImages.push(registry, repository, "v1", module, format);

    HttpResponse<byte[]> manifest = registry.client().manifest(repository, "v1");
    assertThat(manifest.statusCode()).isEqualTo(200);
    assertThat("sha256:" + Digests.sha256Hex(manifest.body())).isEqualTo(image.manifestDigest());
    assertThat(manifest.headers().firstValue("Docker-Content-Digest"))
        .hasValue(image.manifestDigest());
    assertThat(image.moduleSha256()).isEqualTo(Digests.sha256Hex(module));
    if (format == WasmImageFormat.OCI_WASM_LAYER) {
      String layer =
          new String(manifest.body())
              .replaceAll(".*\"layers\":\\[\\{[^}]*\"digest\":\"([^\"]+)\".*", "$1");
      HttpResponse<byte[]> blob = registry.client().blob(repository, layer);
      assertThat(blob.body()).isEqualTo(module);
    }
  }

  @Test
  void htpasswdRegistryRefusesAnonymousPulls(@Htpasswd OciRegistry registry) throws Exception {
    PushedImage image =
        WasmImages.push(
            registry,
            "smoke/private",
            "v1",
            WasmFixtures.bytes(WasmFixtures.TRAP),
            WasmImageFormat.OCI_WASM_LAYER);

    assertThat(registry.client().manifest("smoke/private", "v1").statusCode()).isEqualTo(200);
    OciClient anonymous = new OciClient("http://" + registry.host(), null, null);
    assertThat(anonymous.manifest("smoke/private", "v1").statusCode()).isEqualTo(401);
    OciClient wrong = new OciClient("http://" + registry.host(), OciRegistryExtension.USER, "nope");
    assertThat(wrong.manifest("smoke/private", "v1").statusCode()).isEqualTo(401);
    assertThat(image.digestReference()).startsWith(registry.host() + "/smoke/private@sha256:");
  }
}
