package io.wasmplane.operator.module;

/**
 * A module could not be fetched or verified.
 *
 * @see #reason()
 */
public final class FetchException extends Exception {
  private final String reason;
  private final boolean retryable;

  /**
   * @param reason CamelCase reason for status, e.g. {@code ChecksumMismatch}
   * @param message what went wrong, for a person
   * @param retryable whether trying again later may help (network errors, 5xx)
   */
  public FetchException(String reason, String message, boolean retryable) {
    super(message);
    this.reason = reason;
    this.retryable = retryable;
  }

  public String reason() {
    return reason;
  }

  public boolean retryable() {
    return retryable;
  }
}
