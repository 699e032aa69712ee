package io.wasmplane.crd;

/**
 * One problem found in a WasmPlugin.
 *
 * @param field the path of the offending field, e.g. {@code spec.vmConfig.env[0].name}
 * @param message what is wrong, for a person
 */
public record Violation(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
