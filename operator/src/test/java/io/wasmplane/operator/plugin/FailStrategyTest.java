package io.wasmplane.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.xds.FailurePolicy;
import io.wasmplane.xds.StandIn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each failStrategy's Envoy failure policy and stand-in. */
class FailStrategyTest {
  @ParameterizedTest(name = "{0} -> {1}, stand-in {2}")
  @CsvSource({
    "'',          FAIL_CLOSED, DENY",
    "FAIL_CLOSE,  FAIL_CLOSED, DENY",
    "FAIL_OPEN,   FAIL_OPEN,   PASS",
    "FAIL_RELOAD, FAIL_RELOAD, DENY",
  })
  void mapsToEnvoyAndItsStandIn(String value, FailurePolicy policy, StandIn standIn) {
    FailStrategy strategy = FailStrategy.of(value);
    assertThat(strategy.failurePolicy()).isEqualTo(policy);
    assertThat(strategy.standIn()).isEqualTo(standIn);
  }
}
