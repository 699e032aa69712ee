package io.wasmplane.operator.module;

import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether a plugin may be given a cached module. A module pulled with credentials, or one
 * whose provenance is unknown, is private: a plugin gets it only once the registry has accepted
 * that plugin's own credentials (or an anonymous pull, if it has none) for the image, or when it
 * was already given that module under the same pull key. http(s) modules carry no credentials and
 * are public. A pure function of its inputs.
 */
public final class SharingRule {
  /** How long a grant holds before a plugin not yet given the module needs a new check. */
  static final Duration GRANTED_FOR = Duration.ofMinutes(10);

  /** How long a refusal holds before the registry is asked again. */
  static final Duration REFUSED_FOR = Duration.ofMinutes(1);

  /** How long an answer that was not given (network error, 5xx) holds. */
  static final Duration UNKNOWN_FOR = Duration.ofSeconds(10);

  private SharingRule() {}

  /** What a registry said to a credential asking for an image. */
  public enum Answer {
    /** The manifest was served. */
    GRANTED,
    /** 401 or 403: a definite no. */
    REFUSED,
    /** No answer: a network error, a 5xx, a missing manifest. */
    UNKNOWN
  }

  /**
   * A registry's answer for one credential and image.
   *
   * @param answer what it said
   * @param reason a CamelCase reason, for status, when not granted
   * @param message what it said, for a person, when not granted
   * @param at when it said it
   */
  public record Verdict(Answer answer, String reason, String message, Instant at) {
    /** Whether the answer still holds at {@code now}. */
    public boolean freshAt(Instant now) {
      return now.isBefore(at.plus(lifetime(answer)));
    }
  }

  /** How long an answer holds. */
  public static Duration lifetime(Answer answer) {
    return switch (answer) {
      case GRANTED -> GRANTED_FOR;
      case REFUSED -> REFUSED_FOR;
      case UNKNOWN -> UNKNOWN_FOR;
    };
  }

  /** What the plugin gets now. */
  public enum Action {
    /** The cached module. */
    USE,
    /** Nothing yet: its access is being checked. */
    WAIT,
    /** No module: the registry refused its credentials. */
    REFUSE,
    /** No module: its access could not be checked. */
    FAIL
  }

  /**
   * @param action what the plugin gets now
   * @param check whether to ask the registry now
   */
  public record Decision(Action action, boolean check) {}

  /**
   * Whether a plugin may have a cached module.
   *
   * @param oci whether the module comes from an OCI registry
   * @param pulledAnonymously whether these module bytes were ever pulled without credentials
   * @param given whether this plugin was already given this module under the same pull key
   * @param last the registry's last answer for the plugin's credentials and the image, or null
   * @param now the time
   */
  public static Decision decide(
      boolean oci, boolean pulledAnonymously, boolean given, Verdict last, Instant now) {
    if (!oci || pulledAnonymously || given) {
      return new Decision(Action.USE, false);
    }
    if (last == null) {
      return new Decision(Action.WAIT, true);
    }
    boolean fresh = last.freshAt(now);
    Action action =
        switch (last.answer()) {
          case GRANTED -> fresh ? Action.USE : Action.WAIT;
          case REFUSED -> Action.REFUSE;
          case UNKNOWN -> Action.FAIL;
        };
    return new Decision(action, !fresh);
  }
}
