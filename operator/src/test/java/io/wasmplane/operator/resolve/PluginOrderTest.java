package io.wasmplane.operator.resolve;

import static io.wasmplane.operator.TestPlugins.inbound;
import static io.wasmplane.operator.TestPlugins.plugin;
import static io.wasmplane.operator.TestPlugins.proxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.plugin.Phase;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.Protocol;
import io.wasmplane.xds.ProxyIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Property tests of the chain order over many random plugin sets and their permutations. */
class PluginOrderTest {
  private static final String[] PHASES = {"AUTHN", "AUTHZ", "STATS", "UNSPECIFIED_PHASE", null};
  private final ChainResolver resolver = new ChainResolver("istio-system");
  private final ProxyIdentity proxy =
      proxy("shop", Map.of("app", "web"), inbound("in", 8080, Protocol.HTTP));

  private static List<PluginSpec> randomPlugins(Random random) {
    List<PluginSpec> plugins = new ArrayList<>();
    int count = 1 + random.nextInt(12);
    for (int i = 0; i < count; i++) {
      String namespace = random.nextBoolean() ? "shop" : "istio-system";
      String phase = PHASES[random.nextInt(PHASES.length)];
      StringBuilder spec = new StringBuilder();
      if (phase != null) {
        spec.append("phase: ").append(phase).append('\n');
      }
      int priorityKind = random.nextInt(4);
      if (priorityKind == 1) {
        spec.append("priority: ").append(random.nextInt(5) - 2).append('\n');
      } else if (priorityKind == 2) {
        spec.append("priority: null\n");
      } else if (priorityKind == 3) {
        spec.append("priority: ")
            .append(random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE)
            .append('\n');
      }
      plugins.add(plugin(namespace, "p" + random.nextInt(6) + "-" + i, spec.toString()));
    }
    return plugins;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
  void chainIsTheSameUnderEveryPermutationAndKeepsTheOrderRules(long seed) {
    Random random = new Random(seed);
    for (int trial = 0; trial < 30; trial++) {
      List<PluginSpec> plugins = randomPlugins(random);
      List<PluginSpec> first = resolver.resolve(plugins, proxy).get(0).http();

      for (int shuffle = 0; shuffle < 10; shuffle++) {
        List<PluginSpec> shuffled = new ArrayList<>(plugins);
        Collections.shuffle(shuffled, random);
        assertThat(resolver.resolve(shuffled, proxy).get(0).http()).isEqualTo(first);
      }
      assertThat(first).hasSize(plugins.size());
      for (int i = 1; i < first.size(); i++) {
        PluginSpec a = first.get(i - 1);
        PluginSpec b = first.get(i);
        assertThat(a.phase()).isLessThanOrEqualTo(b.phase());
        if (a.phase() == b.phase()) {
          assertThat(a.priority()).isGreaterThanOrEqualTo(b.priority());
          if (a.priority() == b.priority()) {
            assertThat(a.ref()).isLessThan(b.ref());
          }
        }
      }
    }
  }

  @Test
  void unsetPriorityCountsAsZeroAndUnspecifiedPhaseRunsLast() {
    List<PluginSpec> plugins =
        List.of(
            plugin("shop", "stats", "phase: STATS\npriority: -100"),
            plugin("shop", "unspecified-high", "priority: 1000"),
            plugin("shop", "authz-unset", "phase: AUTHZ"),
            plugin("shop", "authz-minus", "phase: AUTHZ\npriority: -1"),
            plugin("shop", "authz-plus", "phase: AUTHZ\npriority: 1"),
            plugin("shop", "authn", "phase: AUTHN\npriority: -5"));

    List<String> chain =
        resolver.resolve(plugins, proxy).get(0).http().stream().map(PluginSpec::name).toList();

    assertThat(chain)
        .containsExactly(
            "authn", "authz-plus", "authz-unset", "authz-minus", "stats", "unspecified-high");
    assertThat(plugins.get(1).phase()).isEqualTo(Phase.UNSPECIFIED);
  }

  @Test
  void tiesBreakByNamespaceThenName() {
    List<PluginSpec> plugins =
        List.of(
            plugin("shop", "b", "phase: AUTHZ"),
            plugin("istio-system", "z", "phase: AUTHZ"),
            plugin("shop", "a", "phase: AUTHZ"));

    List<String> chain =
        resolver.resolve(plugins, proxy).get(0).http().stream()
            .map(p -> p.ref().toString())
            .toList();

    assertThat(chain).containsExactly("istio-system/z", "shop/a", "shop/b");
  }
}
