package io.wasmplane.operator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * What about a plugin makes an {@code Always} pull policy pull again: a new spec (generation), or
 * new labels or annotations. The informer lets exactly these updates through, and the pull key
 * carries exactly these; both ask here.
 */
public final class PullTrigger {
  private PullTrigger() {}

  /** Whether an update from the old metadata to the new one can trigger a pull. */
  public static boolean changed(
      Long oldGeneration,
      Map<String, String> oldLabels,
      Map<String, String> oldAnnotations,
      Long newGeneration,
      Map<String, String> newLabels,
      Map<String, String> newAnnotations) {
    return !Objects.equals(oldGeneration, newGeneration)
        || !Objects.equals(orEmpty(oldLabels), orEmpty(newLabels))
        || !Objects.equals(orEmpty(oldAnnotations), orEmpty(newAnnotations));
  }

  /** The labels and annotations of {@code metadata}, hashed: part of an {@code Always} pull key. */
  public static String metadataHash(JsonNode metadata) {
    return sha256(
            CanonicalJson.write(metadata.path("labels"))
                + "|"
                + CanonicalJson.write(metadata.path("annotations")))
        .substring(0, 16);
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  static String sha256(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
