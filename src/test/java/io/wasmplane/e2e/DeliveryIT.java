package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.ModuleServer;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.OciRegistryExtension;
import io.wasmplane.testbed.PushedImage;
import io.wasmplane.testbed.WasmFixtures;
import io.wasmplane.testbed.WasmImages;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Module delivery with a real Envoy: remote code that arrives after the listener warmed really
 * runs, each digest is downloaded once, a new {@code sha256} pulls again, and a replaced control
 * plane that cannot reach its registry never takes a running plugin away.
 */
@ExtendWith(OciRegistryExtension.class)
class DeliveryIT extends DirectoryFixture {
  private static final Duration CONVERGE = Duration.ofSeconds(40);

  /** {@link #ociPlugin} in phase AUTHZ. */
  private static String plugin(String name, String url, String extra) {
    return ociPlugin(name, url, "phase: AUTHZ\n" + extra);
  }

  private void awaitEnv(Envoy envoy, String expected) {
    await("x-wasmplane-env " + expected)
        .atMost(CONVERGE)
        .untilAsserted(
            () -> {
              Traffic.Reply reply = Traffic.get(envoy.port("http"));
              assertThat(reply.status()).as(reply.body()).isEqualTo(200);
              assertThat(reply.header("x-wasmplane-env")).containsExactly(expected);
            });
  }

  private long downloads() throws Exception {
    return controlPlane
        .get("/metrics")
        .lines()
        .filter(l -> l.startsWith("wasmplane_module_downloads_total "))
        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1).trim()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aModuleChangeAfterWarmUpRunsTheNewCodeAndEachDigestIsDownloadedOnce() throws Exception {
    try (ModuleServer modules =
        ModuleServer.fixtures(
            Map.of("v1.wasm", WasmFixtures.HEADER_CHAIN, "v2.wasm", WasmFixtures.ENV_HEADER))) {
      String base = modules.baseUrl();
      String env = "vmConfig: {env: [{name: GREETING, value: hi}]}";
      controlPlane.write("p.yaml", plugin("up", base + "v1.wasm", env));
      Envoy envoy = proxy("app-1");
      Chains.await(envoy, "http", CONVERGE, mark("up"));
      assertThat(downloads()).isEqualTo(1);

      controlPlane.write("p.yaml", plugin("up", base + "v2.wasm", env));
      awaitEnv(envoy, "GREETING=hi");
      assertThat(Traffic.get(envoy.port("http")).chain()).as("the old code is gone").isEmpty();
      assertThat(downloads()).as("one download per digest").isEqualTo(2);

      controlPlane.write(
          "p.yaml",
          plugin("up", base + "v2.wasm", "vmConfig: {env: [{name: GREETING, value: bye}]}"));
      awaitEnv(envoy, "GREETING=bye");
      controlPlane.write(
          "p.yaml",
          plugin("up", base + "v2.wasm", "vmConfig: {env: [{name: GREETING, value: bye}]}")
              .replace("{name: up}", "{name: up, round: 2}"));
      await("Envoy runs the edited configuration")
          .atMost(CONVERGE)
          .untilAsserted(
              () -> assertThat(envoy.admin("/config_dump").body()).contains("round\\\":2"));
      assertThat(downloads()).as("a config-only edit fetches nothing").isEqualTo(2);
      assertThat(controlPlane.get("/metrics")).contains("wasmplane_nacking_proxies 0");
      assertThat(envoy.process().isAlive()).isTrue();
    }
  }

  @Test
  void aNewSha256OnTheSameTagPullsAgainAndTheNewModuleRuns(OciRegistry registry) throws Exception {
    String repository = "retag-" + UUID.randomUUID().toString().substring(0, 8);
    PushedImage first =
        WasmImages.pushFixture(registry, repository, "stable", WasmFixtures.HEADER_CHAIN);
    String url = "oci://" + first.reference();
    String env = "imagePullPolicy: IfNotPresent\nvmConfig: {env: [{name: TAG, value: stable}]}";
    controlPlane.write("p.yaml", plugin("retag", url, env));
    Envoy envoy = proxy("app-1");
    Chains.await(envoy, "http", CONVERGE, mark("retag"));

    PushedImage second =
        WasmImages.pushFixture(registry, repository, "stable", WasmFixtures.ENV_HEADER);
    String pinned = second.manifestDigest().substring("sha256:".length());
    controlPlane.write("p.yaml", plugin("retag", url, env + "\nsha256: " + pinned));

    awaitEnv(envoy, "TAG=stable");
    assertThat(controlPlane.get("/debug/plugins")).contains(second.manifestDigest());
  }

  @Test
  void aReplacedControlPlaneThatCannotReachTheRegistryNeverServesWithoutThePlugin()
      throws Exception {
    try (OciRegistry registry = OciRegistry.startPlain()) {
      PushedImage image =
          WasmImages.pushFixture(registry, "auth/plugin", "latest", WasmFixtures.HEADER_CHAIN);
      controlPlane.write("p.yaml", plugin("authz", "oci://" + image.reference(), ""));
      Envoy envoy = proxy("app-1");
      Chains.await(envoy, "http", CONVERGE, mark("authz"));

      registry.stop();
      try (HangingServer hung = new HangingServer(registry.port())) {
        controlPlane = controlPlane.replace(Files.createTempDirectory("wasmplane-empty-cache-"));
        await("the new control plane tries the registry")
            .atMost(CONVERGE)
            .until(() -> hung.connections() > 0);
        await("the proxy reconnects")
            .atMost(CONVERGE)
            .until(() -> controlPlane.get("/debug/proxies").contains("app-1.shop"));

        Chains.assertEveryRequest(envoy, "http", 25, mark("authz"));
        assertThat(controlPlane.get("/debug/plugins")).contains("fetching");
      }
    }
  }
}
