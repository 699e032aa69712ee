package io.wasmplane.operator.plugin;

/** When to fetch a module again: only when absent from the cache, or on every change. */
public enum PullPolicy {
  IF_NOT_PRESENT,
  ALWAYS
}
