package io.wasmplane.operator.module;

import io.wasmplane.crd.ImageReference;

/**
 * Reads Wasm images from OCI registries: pulls a module, or only asks whether a pull may read it.
 */
public interface ImageSource {
  /**
   * Pulls the module of {@code image} with {@code credentials}, or anonymously when they are null.
   */
  FetchedModule fetch(ImageReference image, RegistryCredentials credentials) throws FetchException;

  /**
   * Asks the registry for {@code image}'s manifest with {@code credentials}, or anonymously when
   * they are null, and returns normally when it is granted (and, for a digest reference, is that
   * digest's manifest).
   *
   * @throws FetchException {@code RegistryUnauthorized}, not retryable, when the registry refuses
   *     the pull; any other reason when the answer is not known
   */
  void checkAccess(ImageReference image, RegistryCredentials credentials) throws FetchException;
}
