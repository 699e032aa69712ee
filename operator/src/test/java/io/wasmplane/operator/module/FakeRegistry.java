package io.wasmplane.operator.module;

import io.wasmplane.crd.ImageReference;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OCI registry in memory for unit tests: each repository holds one image, readable anonymously
 * or only with one credential, and every pull and access check is recorded.
 */
final class FakeRegistry implements ImageSource {
  /** An image: its module, its manifest digest and the credential it needs (null: none). */
  record Image(byte[] module, String manifestDigest, RegistryCredentials required) {}

  final List<String> pulls = new CopyOnWriteArrayList<>();
  final List<String> checks = new CopyOnWriteArrayList<>();
  private final Map<String, Image> images = new ConcurrentHashMap<>();

  /** When set, every request fails with it, as a registry outage would. */
  volatile FetchException outage;

  /** Puts an image at {@code repository} (as {@code registry/path}) and returns it. */
  Image put(String repository, int seed, RegistryCredentials required) {
    byte[] module = {0, 'a', 's', 'm', 1, 0, 0, 0, (byte) seed};
    String manifest = "sha256:" + WasmBytes.sha256Hex(new byte[] {(byte) seed, 'm'});
    Image image = new Image(module, manifest, required);
    images.put(repository, image);
    return image;
  }

  /**
   * Module resolutions over this registry and the module cache in {@code cacheDir}, running fetches
   * on the caller's thread and retries on {@code timer}.
   */
  ModuleResolutions resolutions(
      Path cacheDir, Duration httpTimeout, ManualTimer timer, Clock clock) {
    return new ModuleResolutions(
        new ModuleCache(cacheDir, 1 << 20),
        new HttpModuleFetcher(new HttpTransport(null, httpTimeout, 1 << 20)),
        this,
        new FetchScheduler(new DirectExecutor(), timer),
        clock,
        () -> {});
  }

  @Override
  public FetchedModule fetch(ImageReference image, RegistryCredentials credentials)
      throws FetchException {
    pulls.add(image + " as " + who(credentials));
    Image found = read(image, credentials);
    return new FetchedModule(found.module(), found.manifestDigest());
  }

  @Override
  public void checkAccess(ImageReference image, RegistryCredentials credentials)
      throws FetchException {
    checks.add(image + " as " + who(credentials));
    read(image, credentials);
  }

  private Image read(ImageReference image, RegistryCredentials credentials) throws FetchException {
    if (outage != null) {
      throw outage;
    }
    Image found = images.get(image.registry() + "/" + image.repository());
    if (found == null || (image.pinned() && !image.reference().equals(found.manifestDigest()))) {
      throw new FetchException("ImageNotFound", image + " not found", true);
    }
    if (found.required() != null && !found.required().equals(credentials)) {
      throw new FetchException(
          "RegistryUnauthorized", "registry refused the credentials for " + image, false);
    }
    return found;
  }

  private static String who(RegistryCredentials credentials) {
    return credentials == null ? "anonymous" : credentials.username();
  }
}
