package io.wasmplane.operator.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins the TokenReview token bucket: a burst at once, then {@code perSecond} on average. */
class ReviewBudgetTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  /** How many of {@code attempts} takes at {@code at} succeed. */
  private static int takes(ReviewBudget budget, Instant at, int attempts) {
    int taken = 0;
    for (int i = 0; i < attempts; i++) {
      taken += budget.take(at) ? 1 : 0;
    }
    return taken;
  }

  @ParameterizedTest(name = "{0}/s, burst {1}: after {2}ms {3} more")
  @CsvSource({
    "50, 200, 0, 0",
    "50, 200, 20, 1",
    "50, 200, 1000, 50",
    "50, 200, 3999, 199",
    "50, 200, 4000, 200",
    "50, 200, 3600000, 200",
    "2, 1, 499, 0",
    "2, 1, 500, 1",
    "2, 1, 10000, 1",
    "0.5, 3, 1999, 0",
    "0.5, 3, 2000, 1",
    "3, 3, 1000, 3",
    "7, 7, 1000, 7",
    "10, 1, 100, 1",
    "10, 1, 99, 0",
  })
  void aSpentBurstRefillsAtTheRateUpToTheBurst(
      double perSecond, int burst, long afterMs, int more) {
    ReviewBudget budget = new ReviewBudget(perSecond, burst);
    assertThat(takes(budget, T0, burst + 10)).as("the burst").isEqualTo(burst);

    assertThat(takes(budget, T0.plusMillis(afterMs), burst + 10)).isEqualTo(more);
  }

  @Test
  void timeGoingBackwardsRefillsNothing() {
    ReviewBudget budget = new ReviewBudget(10, 2);
    assertThat(takes(budget, T0.plusSeconds(10), 5)).isEqualTo(2);

    assertThat(takes(budget, T0, 5)).isZero();
    assertThat(takes(budget, T0.plusSeconds(10), 5))
        .as("the refill counts from the latest time seen")
        .isZero();
    assertThat(takes(budget, T0.plusMillis(10_100), 5)).isEqualTo(1);
  }

  @Test
  void refusedTakesInSmallStepsLoseNothingOfTheRefill() {
    ReviewBudget stepped = new ReviewBudget(1, 1);
    ReviewBudget waited = new ReviewBudget(1, 1);
    assertThat(stepped.take(T0)).isTrue();
    assertThat(waited.take(T0)).isTrue();
    for (int ms = 100; ms < 1000; ms += 100) {
      assertThat(stepped.take(T0.plusMillis(ms))).as("at %dms", ms).isFalse();
    }

    assertThat(takes(stepped, T0.plusMillis(1500), 3)).isEqualTo(1);
    assertThat(takes(waited, T0.plusMillis(1500), 3)).isEqualTo(1);
    assertThat(stepped.take(T0.plusMillis(2600))).isTrue();
  }

  @Test
  void refillsExactlyOnTimeAfterManySmallSteps() {
    ReviewBudget budget = new ReviewBudget(10, 1);
    assertThat(budget.take(T0)).isTrue();
    for (int step = 1; step <= 100; step++) {
      Instant at = T0.plusMillis(step);
      assertThat(budget.take(at)).as("at %dms", step).isEqualTo(step == 100);
    }
  }

  @Test
  void aRateOrBurstThatAdmitsNothingIsRefused() {
    assertThatThrownBy(() -> new ReviewBudget(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReviewBudget(1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
