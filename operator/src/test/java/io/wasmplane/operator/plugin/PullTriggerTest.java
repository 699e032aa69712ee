package io.wasmplane.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pins what makes an Always pull policy pull again: spec generation, labels and annotations. */
class PullTriggerTest {
  private static final Map<String, String> A = Map.of("a", "1");
  private static final Map<String, String> B = Map.of("a", "2");

  static Stream<Arguments> updates() {
    return Stream.of(
        Arguments.of("nothing changed (a resync or a status write)", 3L, A, A, 3L, A, A, false),
        Arguments.of("a new spec", 3L, A, A, 4L, A, A, true),
        Arguments.of("a label changed", 3L, A, A, 3L, B, A, true),
        Arguments.of("an annotation changed", 3L, A, A, 3L, A, B, true),
        Arguments.of("labels appeared", 3L, null, A, 3L, A, A, true),
        Arguments.of(
            "no labels and empty labels are the same", 3L, null, A, 3L, Map.of(), A, false),
        Arguments.of("no generation yet, then one", null, A, A, 1L, A, A, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("updates")
  void anUpdateTriggersWhenSpecLabelsOrAnnotationsChange(
      String situation,
      Long oldGeneration,
      Map<String, String> oldLabels,
      Map<String, String> oldAnnotations,
      Long newGeneration,
      Map<String, String> newLabels,
      Map<String, String> newAnnotations,
      boolean triggers) {
    assertThat(
            PullTrigger.changed(
                oldGeneration, oldLabels, oldAnnotations, newGeneration, newLabels, newAnnotations))
        .as(situation)
        .isEqualTo(triggers);
  }

  @Test
  void theMetadataHashFollowsLabelsAndAnnotationsAndNothingElse() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String base =
        PullTrigger.metadataHash(
            json.readTree(
                "{\"name\":\"p\",\"labels\":{\"a\":\"1\"},\"annotations\":{\"b\":\"2\"}}"));
    assertThat(
            PullTrigger.metadataHash(
                json.readTree(
                    "{\"name\":\"q\",\"resourceVersion\":\"9\",\"annotations\":{\"b\":\"2\"},"
                        + "\"labels\":{\"a\":\"1\"}}")))
        .isEqualTo(base);
    assertThat(
            PullTrigger.metadataHash(
                json.readTree("{\"labels\":{\"a\":\"2\"},\"annotations\":{\"b\":\"2\"}}")))
        .isNotEqualTo(base);
    assertThat(
            PullTrigger.metadataHash(
                json.readTree("{\"labels\":{\"a\":\"1\"},\"annotations\":{\"b\":\"3\"}}")))
        .isNotEqualTo(base);
  }
}
