package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.OciRegistryExtension;
import io.wasmplane.testbed.PushedImage;
import io.wasmplane.testbed.WasmFixtures;
import io.wasmplane.testbed.WasmImageFormat;
import io.wasmplane.testbed.WasmImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fetching modules again: pull policies, a registry outage, and a restart over a kept cache. */
@ExtendWith(OciRegistryExtension.class)
class ModuleRefetchIT extends DirectoryFixture {
  private static final Duration CONVERGE = Duration.ofSeconds(40);

  private void awaitChain(Envoy envoy, String... marks) throws Exception {
    controlPlane.awaitChain(envoy, CONVERGE, marks);
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
