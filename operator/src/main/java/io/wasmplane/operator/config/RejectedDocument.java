package io.wasmplane.operator.config;

import java.util.List;
import java.util.Set;

/**
 * A document of a config file that was not accepted, with the resource it names where that can be
 * read.
 *
 * @param kind the document's {@code kind}, or empty
 * @param key {@code namespace/name}, or empty when the document (or its whole file) names nothing
 *     readable
 * @param problems why it was not accepted
 */
public record RejectedDocument(String kind, String key, List<ConfigProblem> problems) {
  static final String WASM_PLUGIN = "WasmPlugin";
  static final String TRAFFIC_EXTENSION = "TrafficExtension";
  static final String SECRET = "Secret";
  private static final Set<String> READ_KINDS = Set.of(WASM_PLUGIN, TRAFFIC_EXTENSION, SECRET);

  public RejectedDocument {
    problems = List.copyOf(problems);
  }

  /** Whether it names no resource, so any resource of its file may have been meant. */
  public boolean unidentified() {
    return key.isEmpty();
  }

  /**
   * Whether it is the document that held {@code resourceKind} {@code resourceKey}: the same name,
   * and the same kind unless its own kind is not one read here (a misspelt kind).
   */
  public boolean names(String resourceKind, String resourceKey) {
    return !key.isEmpty()
        && key.equals(resourceKey)
        && (kind.equals(resourceKind) || !READ_KINDS.contains(kind));
  }
}
