package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.MutableClock;
import io.wasmplane.operator.TestPlugins;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.testbed.Archives;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pull secret without an entry for the registry means an anonymous pull, and {@code sha256} of an
 * http(s) module is the digest of the unpacked Wasm, as in Istio.
 */
class ModuleInputsTest {
  private static final byte[] WASM = {0, 'a', 's', 'm', 1, 0, 0, 0, 9};

  @TempDir Path dir;
  private final FakeRegistry registry = new FakeRegistry();
  private final ManualTimer timer = new ManualTimer();
  private ModuleResolutions modules;
  private RecordingServer server;

  @BeforeEach
  void start() {
    modules = registry.resolutions(dir, Duration.ofSeconds(5), timer, new MutableClock());
    String config =
        "{\"auths\":{\"https://other.example/v1/\":{\"username\":\"u\",\"password\":\"p\"}}}";
    modules.secrets(Map.of("shop/pull", PullSecrets.dockerConfigJson(config)));
  }

  @AfterEach
  void stop() {
    timer.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  private ModuleStatus settle(PluginSpec plugin) {
    ModuleStatus status = modules.status(plugin);
    for (int i = 0; i < 3 && status instanceof ModuleStatus.Pending; i++) {
      status = modules.status(plugin);
    }
    return status;
  }

  @Test
  void aSecretWithoutAnEntryForTheRegistryPullsAnonymously() {
    registry.put("registry.example/public/filter", 1, null);

    ModuleStatus status =
        settle(
            TestPlugins.plugin(
                "shop",
                "p",
                "url: oci://registry.example/public/filter:v1\nimagePullSecret: pull"));

    assertThat(status).isInstanceOf(ModuleStatus.Ready.class);
    assertThat(registry.pulls).containsExactly("registry.example/public/filter:v1 as anonymous");
  }

  @Test
  void aRefusedAnonymousPullSaysTheSecretHadNoEntry() {
    registry.put("registry.example/private/filter", 1, new RegistryCredentials("u", "p"));

    ModuleStatus status =
        settle(
            TestPlugins.plugin(
                "shop",
                "p",
                "url: oci://registry.example/private/filter:v1\nimagePullSecret: pull"));

    assertThat(status)
        .isEqualTo(
            new ModuleStatus.Failed(
                "RegistryUnauthorized",
                "registry refused the credentials for registry.example/private/filter:v1 (pull"
                    + " secret shop/pull has no credentials for registry registry.example, so it"
                    + " pulled anonymously)"));
  }

  @ParameterizedTest(name = "{0}, Content-Encoding {1}")
  @CsvSource({"filter.wasm.gz, ''", "filter.wasm, gzip", "filter, ''"})
  void sha256OfAGzippedModuleIsTheDigestOfTheUnpackedWasm(String path, String encoding) {
    byte[] packed = Archives.gzip(WASM);
    server =
        RecordingServer.start(
            "127.0.0.1",
            exchange -> {
              if (!encoding.isEmpty()) {
                exchange.getResponseHeaders().add("Content-Encoding", encoding);
              }
              exchange.sendResponseHeaders(200, packed.length);
              exchange.getResponseBody().write(packed);
            });
    String url = server.uri("/" + path).toString();
    String unpacked = WasmBytes.sha256Hex(WASM);
    String archive = WasmBytes.sha256Hex(packed);

    ModuleStatus pinnedToModule =
        settle(TestPlugins.plugin("shop", "good", "url: " + url + "\nsha256: " + unpacked));
    ModuleStatus pinnedToArchive =
        settle(TestPlugins.plugin("shop", "bad", "url: " + url + "\nsha256: " + archive));

    assertThat(pinnedToModule)
        .isInstanceOfSatisfying(
            ModuleStatus.Ready.class,
            ready -> assertThat(ready.moduleDigest()).isEqualTo(unpacked));
    assertThat(pinnedToArchive)
        .isEqualTo(
            new ModuleStatus.Failed(
                "ChecksumMismatch",
                "sha256 " + archive + " does not match the module's sha256 " + unpacked));
  }
}
