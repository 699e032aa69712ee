package io.wasmplane.operator.module;

/**
 * Module bytes as fetched.
 *
 * @param bytes the Wasm module
 * @param imageDigest the OCI manifest digest ({@code sha256:...}) for OCI modules, else null
 */
public record FetchedModule(byte[] bytes, String imageDigest) {}
