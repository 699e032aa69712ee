package io.wasmplane.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.TestPlugins;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.resolve.ChainResolver;
import io.wasmplane.xds.ExtensionOffer;
import io.wasmplane.xds.ModuleSource;
import io.wasmplane.xds.Protocol;
import io.wasmplane.xds.ProxyPlan;
import io.wasmplane.xds.StandIn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each plugin offers its last good spec and module pair; listeners never depend on modules. */
class PluginPlannerTest {
  private static final String URL = "url: https://example.com/p.wasm\n";
  private static final ModuleStatus V1 = ready("a");
  private static final ModuleStatus V2 = ready("b");
  private static final ModuleStatus PENDING = new ModuleStatus.Pending("fetching");
  private static final ModuleStatus FAILED = new ModuleStatus.Failed("FetchFailed", "down");

  private final PluginPlanner planner = new PluginPlanner(new ChainResolver("istio-system"));

  private static ModuleStatus ready(String digit) {
    String sha = digit.repeat(64);
    return new ModuleStatus.Ready(new ModuleSource.Served(sha), sha, null, null);
  }

  private static PluginSpec plugin(String spec) {
    return TestPlugins.plugin("shop", "p", URL + spec);
  }

  private ExtensionOffer apply(PluginSpec plugin, ModuleStatus module) {
    planner.update(new ConfigState(List.of(plugin), Map.of(plugin.ref(), module)));
    return planner.offer(plugin.ref());
  }

  private ProxyPlan plan() {
    return planner.plan(
        TestPlugins.proxy("shop", Map.of(), TestPlugins.inbound("in", 8080, Protocol.HTTP)));
  }

  @Test
  void aReadyModuleIsOfferedWithItsSpec() {
    ExtensionOffer offer = apply(plugin("pluginConfig: {v: 1}"), V1);
    assertThat(offer.good().configuration()).isEqualTo("{\"v\":1}");
    assertThat(offer.good().module()).isEqualTo(((ModuleStatus.Ready) V1).source());
    assertThat(offer.standIn()).isNull();
  }

  @Test
  void anEditWhoseModuleIsPendingKeepsTheOldPairUntilTheNewModuleIsReady() {
    apply(plugin("pluginConfig: {v: 1}"), V1);
    ExtensionOffer held = apply(plugin("pluginConfig: {v: 2}"), PENDING);
    assertThat(held.good().configuration())
        .as("never the new spec with the old module")
        .isEqualTo("{\"v\":1}");
    ExtensionOffer swapped = apply(plugin("pluginConfig: {v: 2}"), V2);
    assertThat(swapped.good().configuration()).isEqualTo("{\"v\":2}");
    assertThat(swapped.good().module()).isEqualTo(((ModuleStatus.Ready) V2).source());
  }

  @Test
  void aFailedModuleKeepsTheLastGoodVersionAndOnlyAPluginWithoutOneGetsAStandIn() {
    apply(plugin("pluginConfig: {v: 1}"), V1);
    assertThat(apply(plugin("pluginConfig: {v: 2}"), FAILED).good().configuration())
        .isEqualTo("{\"v\":1}");

    PluginPlanner fresh = new PluginPlanner(new ChainResolver("istio-system"));
    PluginSpec closed = plugin("");
    fresh.update(new ConfigState(List.of(closed), Map.of(closed.ref(), FAILED)));
    assertThat(fresh.offer(closed.ref()).standIn().kind()).isEqualTo(StandIn.DENY);
    PluginSpec open = plugin("failStrategy: FAIL_OPEN");
    fresh.update(new ConfigState(List.of(open), Map.of(open.ref(), FAILED)));
    assertThat(fresh.offer(open.ref()).standIn().kind()).isEqualTo(StandIn.PASS);
  }

  @Test
  void aPendingFirstFetchOffersNothingButTheListenerStillNamesThePlugin() {
    ExtensionOffer offer = apply(plugin(""), PENDING);
    assertThat(offer.preferred()).isNull();
    assertThat(plan().listeners().get(0).httpFilters()).containsExactly(offer.name());
  }

  @Test
  void theListenersAreTheSameWhateverTheModuleState() {
    apply(plugin(""), PENDING);
    ProxyPlan pending = plan();
    apply(plugin(""), FAILED);
    ProxyPlan failed = plan();
    apply(plugin(""), V1);
    assertThat(plan().listeners()).isEqualTo(pending.listeners()).isEqualTo(failed.listeners());
  }
}
