package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.MutableClock;
import io.wasmplane.operator.TestPlugins;
import io.wasmplane.operator.plan.ConfigState;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plan.PluginPlanner;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.resolve.ChainResolver;
import io.wasmplane.xds.WasmFilter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A module pulled with one namespace's credentials is not handed to a plugin that lacks them. */
class PrivateModulesTest {
  private static final String REPO = "registry.example/team-a/filter";
  private static final RegistryCredentials OWNER = new RegistryCredentials("owner", "right");

  @TempDir Path dir;
  private final FakeRegistry registry = new FakeRegistry();
  private final ManualTimer timer = new ManualTimer();
  private final MutableClock clock = new MutableClock();
  private final Map<String, JsonNode> secrets =
      new HashMap<>(
          Map.of(
              "a/pull", secret("owner", "right"),
              "b/wrong", secret("owner", "guess"),
              "c/pull", secret("owner", "right")));
  private ModuleResolutions modules;
  private FakeRegistry.Image image;

  @BeforeEach
  void start() {
    image = registry.put(REPO, 1, OWNER);
    restart();
  }

  /** A fresh operator over the same module cache. */
  private void restart() {
    modules = registry.resolutions(dir, Duration.ofSeconds(1), timer, clock);
    modules.secrets(secrets);
  }

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  static JsonNode secret(String user, String password) {
    String config =
        "{\"auths\":{\"registry.example\":{\"username\":\"%s\",\"password\":\"%s\"}}}"
            .formatted(user, password);
    return PullSecrets.dockerConfigJson(config);
  }

  /** The plugin's module status once the fetches and checks it started have run. */
  private ModuleStatus settle(PluginSpec plugin) {
    ModuleStatus status = modules.status(plugin);
    for (int i = 0; i < 3 && status instanceof ModuleStatus.Pending; i++) {
      status = modules.status(plugin);
    }
    return status;
  }

  private static PluginSpec owner(String namespace, String name) {
    return TestPlugins.plugin(
        namespace, name, "url: oci://" + REPO + ":v1\nimagePullSecret: pull\n");
  }

  private static PluginSpec anonymous(String namespace, String name) {
    return TestPlugins.plugin(namespace, name, "url: oci://" + REPO + ":v1\n");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "url: oci://%1$s:v1\nsha256: \"%2$s\"",
        "url: oci://%1$s@sha256:%2$s",
        "url: oci://%1$s:v1\nimagePullPolicy: IfNotPresent",
        "url: oci://%1$s:v1\nimagePullPolicy: Always\nsha256: \"%2$s\"",
        "url: oci://%1$s:v1\nimagePullSecret: wrong",
        "url: oci://%1$s:v1\nsha256: \"%2$s\"\nimagePullSecret: wrong",
      })
  void aPluginWithoutTheOwnersCredentialsDoesNotGetTheCachedPrivateModule(String spec) {
    assertThat(settle(owner("a", "owner"))).isInstanceOf(ModuleStatus.Ready.class);

    PluginSpec other =
        TestPlugins.plugin(
            "b", "other", spec.formatted(REPO, image.manifestDigest().substring(7)) + "\n");
    ModuleStatus status = settle(other);

    assertThat(status)
        .as("no module without the registry's word")
        .isInstanceOfSatisfying(
            ModuleStatus.Failed.class,
            failed -> {
              assertThat(failed.reason()).isEqualTo("RegistryUnauthorized");
              assertThat(failed.message()).contains(REPO);
            });
    assertThat(registry.pulls.size() + registry.checks.size())
        .as("the registry was asked with the plugin's own credentials")
        .isGreaterThan(1);
  }

  @Test
  void aDigestReferenceTheOwnerPulledIsNotSharedEither() {
    String url = "url: oci://" + REPO + "@" + image.manifestDigest() + "\n";
    assertThat(settle(TestPlugins.plugin("a", "owner", url + "imagePullSecret: pull\n")))
        .isInstanceOf(ModuleStatus.Ready.class);

    assertThat(settle(TestPlugins.plugin("b", "other", url)))
        .isEqualTo(
            new ModuleStatus.Failed(
                "RegistryUnauthorized",
                "anonymous pulls (no imagePullSecret) are not accepted for "
                    + REPO
                    + "@"
                    + image.manifestDigest()
                    + "; a cached copy pulled with other credentials is not shared"));
    assertThat(registry.checks)
        .containsExactly(REPO + "@" + image.manifestDigest() + " as anonymous");
  }

  @Test
  void thePullsGrantServesTheSameCredentialsForTenMinutesThenANewPluginIsCheckedAgain() {
    assertThat(settle(owner("a", "owner"))).isInstanceOf(ModuleStatus.Ready.class);
    assertThat(modules.status(owner("c", "same-credentials")))
        .as("the pull just proved these credentials")
        .isInstanceOf(ModuleStatus.Ready.class);
    assertThat(registry.checks).isEmpty();

    clock.advance(Duration.ofMinutes(11));
    assertThat(modules.status(owner("a", "owner")))
        .as("a plugin already given the module keeps it without a check")
        .isInstanceOf(ModuleStatus.Ready.class);
    assertThat(modules.status(owner("a", "newcomer"))).isInstanceOf(ModuleStatus.Pending.class);
    assertThat(registry.checks).containsExactly(REPO + "@" + image.manifestDigest() + " as owner");
    assertThat(modules.status(owner("a", "newcomer"))).isInstanceOf(ModuleStatus.Ready.class);
    assertThat(registry.pulls).as("one pull in all").hasSize(1);
  }

  @Test
  void aRunningPluginKeepsItsModuleThroughAMissingSecretAndARefusedRotation() {
    PluginSpec owner = owner("a", "owner");
    PluginPlanner planner = new PluginPlanner(new ChainResolver("istio-system"));
    ModuleStatus ready = settle(owner);
    planner.update(new ConfigState(List.of(owner), Map.of(owner.ref(), ready)));
    WasmFilter running = planner.offer(owner.ref()).good();

    secrets.remove("a/pull");
    modules.secrets(secrets);
    ModuleStatus missing = modules.status(owner);
    assertThat(missing).isInstanceOf(ModuleStatus.Failed.class);
    planner.update(new ConfigState(List.of(owner), Map.of(owner.ref(), missing)));
    assertThat(planner.offer(owner.ref()).good()).isEqualTo(running);

    secrets.put("a/pull", secret("owner", "rotated-wrong"));
    modules.secrets(secrets);
    ModuleStatus refused = settle(owner);
    assertThat(refused)
        .extracting(s -> ((ModuleStatus.Failed) s).reason())
        .isEqualTo("RegistryUnauthorized");
    planner.update(new ConfigState(List.of(owner), Map.of(owner.ref(), refused)));
    assertThat(planner.offer(owner.ref()).good())
        .as("the last good version wins")
        .isEqualTo(running);

    secrets.put("a/pull", secret("owner", "right"));
    modules.secrets(secrets);
    assertThat(modules.status(owner))
        .as("the restored Secret gives the module back at once")
        .isEqualTo(ready);
  }

  @Test
  void aNewPluginGetsNothingWhileTheRegistryCannotBeAsked() {
    assertThat(settle(owner("a", "owner"))).isInstanceOf(ModuleStatus.Ready.class);
    clock.advance(Duration.ofMinutes(11));
    registry.outage = new FetchException("FetchFailed", "GET answered HTTP 503", true);

    ModuleStatus status = settle(owner("c", "newcomer"));

    assertThat(status).isInstanceOf(ModuleStatus.Failed.class);
    assertThat(((ModuleStatus.Failed) status).message())
        .startsWith("cannot check the plugin's access to " + REPO + ":v1")
        .contains("503");
    assertThat(modules.status(owner("a", "owner"))).isInstanceOf(ModuleStatus.Ready.class);
  }

  @Test
  void aModuleFoundInTheCacheAtStartupIsPrivateUntilChecked() {
    assertThat(settle(owner("a", "owner"))).isInstanceOf(ModuleStatus.Ready.class);
    restart();

    assertThat(settle(anonymous("b", "other"))).isInstanceOf(ModuleStatus.Failed.class);
    assertThat(settle(owner("a", "owner"))).isInstanceOf(ModuleStatus.Ready.class);
    assertThat(registry.checks)
        .containsExactly(
            REPO + "@" + image.manifestDigest() + " as anonymous",
            REPO + "@" + image.manifestDigest() + " as owner");
    assertThat(registry.pulls).as("nothing pulled again").hasSize(1);
  }

  @Test
  void aModulePulledWithoutCredentialsIsPublicAcrossRestarts() {
    registry.put(REPO, 1, null);
    assertThat(settle(anonymous("b", "first"))).isInstanceOf(ModuleStatus.Ready.class);
    restart();

    assertThat(modules.status(anonymous("c", "second"))).isInstanceOf(ModuleStatus.Ready.class);
    assertThat(modules.status(owner("a", "owner"))).isInstanceOf(ModuleStatus.Ready.class);
    assertThat(registry.checks).isEmpty();
    assertThat(registry.pulls).hasSize(1);
  }
}
