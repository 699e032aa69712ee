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
