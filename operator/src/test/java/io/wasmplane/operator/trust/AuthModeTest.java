package io.wasmplane.operator.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins how proxies authenticate for each --xds-auth value, mode and client CA setting. */
class AuthModeTest {
  @ParameterizedTest(name = "--xds-auth={0}, kubernetes {1}, client CA {2} -> {3}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "NULL, true, false, token",
        "NULL, true, true, token",
        "NULL, false, true, mtls",
        "NULL, false, false, none",
        "token, true, false, token",
        "token, true, true, token",
        "mtls, true, true, mtls",
        "mtls, false, true, mtls",
        "none, true, false, none",
        "none, true, true, none",
        "none, false, true, none",
        "none, false, false, none",
      })
  void theModeIsTheExplicitOneOrTheDefaultOfTheSetting(
      String explicit, boolean kubernetes, boolean clientCa, String mode) {
    assertThat(AuthMode.of(explicit, kubernetes, clientCa)).isEqualTo(mode);
  }

  @ParameterizedTest(name = "--xds-auth={0}, kubernetes {1}, client CA {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "token | false | false | --xds-auth=token needs Kubernetes mode: tokens are checked with"
            + " TokenReview",
        "token | false | true | --xds-auth=token needs Kubernetes mode: tokens are checked with"
            + " TokenReview",
        "mtls | true | false | --xds-auth=mtls needs --xds-client-ca",
        "mtls | false | false | --xds-auth=mtls needs --xds-client-ca",
      })
  void aModeTheSettingCannotServeIsRefused(
      String explicit, boolean kubernetes, boolean clientCa, String message) {
    assertThatThrownBy(() -> AuthMode.of(explicit, kubernetes, clientCa))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
