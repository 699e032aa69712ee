package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A NACK message is kept whole up to 1 KiB and cut beyond, never inside a character. */
class NackTextTest {
  @Test
  void aShortMessageIsKeptAsItIs() {
    assertThat(NackText.cap("Unable to create Wasm plugin x"))
        .isEqualTo("Unable to create Wasm plugin x");
  }

  @Test
  void aTenMebibyteMessageIsCutToOneKibibyte() {
    String cut = NackText.cap("x".repeat(10 << 20));
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(NackText.MAX_BYTES);
    assertThat(cut).endsWith("[cut]");
  }

  @Test
  void aCutNeverSplitsACharacter() {
    String cut = NackText.cap("é".repeat(2000));
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(NackText.MAX_BYTES);
    assertThat(cut.replace(" [cut]", "")).matches("é+");
  }
}
