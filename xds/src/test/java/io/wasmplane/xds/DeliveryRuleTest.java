package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The last good version wins: what each kind of proxy is sent for each kind of offer. */
class DeliveryRuleTest {
  private static final WasmFilter GOOD =
      new WasmFilter(
          "p",
          FilterType.HTTP,
          "",
          "ns.p",
          new ModuleSource.Served("ab".repeat(32)),
          null,
          FailurePolicy.FAIL_CLOSED,
          List.of(),
          Map.of());
  private static final StandInFilter STAND_IN =
      new StandInFilter("p", FilterType.HTTP, "ns.p", StandIn.DENY);

  @ParameterizedTest(name = "offer {0}, reconnected {1}, sent before {2} -> {3}")
  @CsvSource({
    // a verified version always goes out
    "good,     false, false, good",
    "good,     true,  false, good",
    "good,     true,  true,  good",
    // the first fetch still runs: nothing, so the listener waits
    "pending,  false, false, nothing",
    "pending,  true,  false, nothing",
    "pending,  true,  true,  nothing",
    // failed with no good version: a new proxy gets the stand-in, a reconnected one keeps its own
    "failed,   false, false, stand-in",
    "failed,   true,  false, nothing",
    "failed,   true,  true,  stand-in",
  })
  void theLastGoodVersionWins(
      String offer, boolean reconnected, boolean sentBefore, String expected) {
    ExtensionOffer choice =
        switch (offer) {
          case "good" -> ExtensionOffer.of(GOOD);
          case "failed" -> new ExtensionOffer("p", null, STAND_IN);
          default -> new ExtensionOffer("p", null, null);
        };
    WasmExtension chosen = DeliveryRule.choose(choice, reconnected, sentBefore);
    WasmExtension want =
        switch (expected) {
          case "good" -> GOOD;
          case "stand-in" -> STAND_IN;
          default -> null;
        };
    assertThat(chosen).isEqualTo(want);
  }
}
