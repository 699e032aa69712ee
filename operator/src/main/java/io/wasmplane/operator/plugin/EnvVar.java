package io.wasmplane.operator.plugin;

/**
 * A VM environment variable.
 *
 * @param name the variable's name
 * @param fromHost true for {@code valueFrom: HOST}: copied from the proxy's environment
 * @param value the inline value; empty for HOST variables
 */
public record EnvVar(String name, boolean fromHost, String value) {}
