package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.operator.module.SharingRule.Action;
import io.wasmplane.operator.module.SharingRule.Answer;
import io.wasmplane.operator.module.SharingRule.Decision;
import io.wasmplane.operator.module.SharingRule.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who may be given a cached module, and when the registry must be asked first. */
class SharingRuleTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @ParameterizedTest(name = "oci={0} anonymous={1} given={2} last={3} {4}s ago -> {5} check={6}")
  @CsvSource({
    // http(s) modules carry no credentials: public
    "false, false, false, NONE,      0, USE,    false",
    // bytes once pulled without credentials are public
    "true,  true,  false, NONE,      0, USE,    false",
    // the plugin already runs this module under this pull key: it keeps it, whatever the registry
    "true,  false, true,  NONE,      0, USE,    false",
    "true,  false, true,  REFUSED,   0, USE,    false",
    "true,  false, true,  UNKNOWN,   0, USE,    false",
    // private and never checked for these credentials: wait for the registry
    "true,  false, false, NONE,      0, WAIT,   true",
    // a grant holds for 10 minutes, then a plugin not yet given the module waits for a new one
    "true,  false, false, GRANTED,   0, USE,    false",
    "true,  false, false, GRANTED, 599, USE,    false",
    "true,  false, false, GRANTED, 600, WAIT,   true",
    // a refusal holds for a minute, and stays a refusal while the registry is asked again
    "true,  false, false, REFUSED,   0, REFUSE, false",
    "true,  false, false, REFUSED,  59, REFUSE, false",
    "true,  false, false, REFUSED,  60, REFUSE, true",
    // no answer (network, 5xx): no module, asked again after 10 seconds
    "true,  false, false, UNKNOWN,   0, FAIL,   false",
    "true,  false, false, UNKNOWN,  10, FAIL,   true",
  })
  void decides(
      boolean oci,
      boolean anonymous,
      boolean given,
      String last,
      long ageSeconds,
      Action action,
      boolean check) {
    Verdict verdict =
        last.equals("NONE")
            ? null
            : new Verdict(Answer.valueOf(last), "Reason", "message", NOW.minusSeconds(ageSeconds));

    Decision decision = SharingRule.decide(oci, anonymous, given, verdict, NOW);

    assertThat(decision).isEqualTo(new Decision(action, check));
  }

  @ParameterizedTest(name = "{0} holds {1}")
  @CsvSource({"GRANTED, PT10M", "REFUSED, PT1M", "UNKNOWN, PT10S"})
  void aGrantHoldsLongerThanARefusal(Answer answer, Duration lifetime) {
    assertThat(SharingRule.lifetime(answer)).isEqualTo(lifetime);
  }
}
