package io.wasmplane.operator.config;

/**
 * Something in the configuration that was skipped, and why.
 *
 * @param source where it came from, e.g. a file path
 * @param resource {@code Kind namespace/name}, or empty when the document could not be read
 * @param field the offending field, or empty
 * @param message what is wrong
 */
public record ConfigProblem(String source, String resource, String field, String message) {
  /** How a problem ends when the resource's last valid version keeps serving in its place. */
  public static final String KEEPS_SERVING = "; the last valid version keeps serving";

  /** This problem, saying that its resource's last valid version keeps serving. */
  public ConfigProblem lastValidServes() {
    return new ConfigProblem(source, resource, field, message + KEEPS_SERVING);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(source);
    if (!resource.isEmpty()) {
      text.append(": ").append(resource);
    }
    if (!field.isEmpty()) {
      text.append(": ").append(field);
    }
    return text.append(": ").append(message).toString();
  }
}
