package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.crd.ImageReference;
import io.wasmplane.operator.MutableClock;
import io.wasmplane.operator.module.RegistryChecks.CheckKey;
import io.wasmplane.operator.module.SharingRule.Answer;
import io.wasmplane.operator.plugin.PluginRef;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Access checks run once per credential and image, and their answers expire. */
class RegistryChecksTest {
  private static final String REPO = "registry.example/team-a/filter";
  private static final RegistryCredentials OWNER = new RegistryCredentials("owner", "right");
  private static final PluginRef PLUGIN = new PluginRef("b", "other");

  private final FakeRegistry registry = new FakeRegistry();
  private final FakeRegistry.Image image = registry.put(REPO, 1, OWNER);
  private final ImageReference pinned = ImageReference.parse(REPO + "@" + image.manifestDigest());
  private final ManualTimer timer = new ManualTimer();
  private final MutableClock clock = new MutableClock();
  private final AtomicInteger changes = new AtomicInteger();
  private final RegistryChecks checks =
      new RegistryChecks(
          registry,
          new FetchScheduler(new DirectExecutor(), timer),
          clock,
          changes::incrementAndGet);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private CheckKey ask(String fingerprint, RegistryCredentials credentials) {
    CheckKey key = new CheckKey(fingerprint, pinned.toString());
    checks.waiting(PLUGIN, key);
    checks.start(key, pinned, credentials);
    return key;
  }

  @Test
  void aGrantIsRememberedPerCredentialAndImageAndNotAskedAgain() {
    CheckKey key = ask("fp-owner", OWNER);
    ask("fp-owner", OWNER);

    assertThat(registry.checks).containsExactly(pinned + " as owner");
    assertThat(checks.last(key).answer()).isEqualTo(Answer.GRANTED);
    assertThat(checks.last(key).freshAt(clock.instant())).isTrue();
    assertThat(timer.scheduled).as("a grant is not asked again by itself").isEmpty();
    assertThat(changes).hasValue(1);

    clock.advance(Duration.ofMinutes(10));
    assertThat(checks.last(key).freshAt(clock.instant())).isFalse();
    ask("fp-owner", OWNER);
    assertThat(registry.checks).hasSize(2);
  }

  @Test
  void aRefusalIsAskedAgainAfterAMinuteWhileAPluginWaitsOnIt() {
    CheckKey key = ask("", null);
    assertThat(checks.last(key).answer()).isEqualTo(Answer.REFUSED);
    assertThat(timer.scheduled)
        .extracting(ManualTimer.Scheduled::delay)
        .containsExactly(Duration.ofMinutes(1));
    assertThat(changes).hasValue(1);

    timer.runAll();
    assertThat(registry.checks).as("asked again").hasSize(2);
    assertThat(changes).as("the same refusal changes nothing").hasValue(1);

    registry.put(REPO, 1, null);
    timer.runAll();
    assertThat(checks.last(key).answer()).isEqualTo(Answer.GRANTED);
    assertThat(changes).hasValue(2);
    assertThat(timer.scheduled).isEmpty();
  }

  @Test
  void aCheckNobodyWaitsOnAnyMoreStops() {
    ask("", null);
    checks.waiting(PLUGIN, null);

    timer.runAll();

    assertThat(registry.checks).hasSize(1);
    assertThat(timer.scheduled).isEmpty();
  }

  @Test
  void noAnswerIsUnknownAndAskedAgainWithBackoff() {
    registry.outage = new FetchException("FetchFailed", "GET answered HTTP 503", true);
    CheckKey key = ask("fp-owner", OWNER);

    assertThat(checks.last(key).answer()).isEqualTo(Answer.UNKNOWN);
    assertThat(checks.last(key).message()).contains("503");
    timer.runAll();
    assertThat(timer.scheduled)
        .extracting(ManualTimer.Scheduled::delay)
        .containsExactly(Duration.ofSeconds(2));

    registry.outage = null;
    timer.runAll();
    assertThat(checks.last(key).answer()).isEqualTo(Answer.GRANTED);
  }

  @Test
  void aPullRecordsAGrantAndExpiredAnswersNobodyWaitsOnAreDropped() {
    CheckKey key = new CheckKey("fp-owner", pinned.toString());
    checks.granted(key);
    assertThat(checks.last(key).answer()).isEqualTo(Answer.GRANTED);
    assertThat(registry.checks).isEmpty();

    clock.advance(Duration.ofMinutes(11));
    checks.retain(Set.of());
    assertThat(checks.last(key)).isNull();
  }
}
