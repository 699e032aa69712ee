package io.wasmplane.operator.module;

import io.wasmplane.crd.ImageReference;
import io.wasmplane.operator.module.PullRule.PullKey;
import io.wasmplane.operator.module.RegistryChecks.CheckKey;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps private modules with the credentials that may read them: records how each module was
 * pulled, and gives a plugin a module pulled with credentials only as {@link SharingRule} decides,
 * once {@link RegistryChecks} has the registry's grant for that plugin's own credentials.
 */
final class ModuleAccess {
  private static final String NOT_SHARED =
      "a cached copy pulled with other credentials is not shared";

  private final ModuleCache cache;
  private final RegistryChecks checks;
  private final Clock clock;
  private final Map<PluginRef, Given> given = new ConcurrentHashMap<>();

  /** The module a plugin was given, and under which pull key. */
  private record Given(PullKey key, String moduleDigest) {}

  ModuleAccess(ModuleCache cache, RegistryChecks checks, Clock clock) {
    this.cache = cache;
    this.checks = checks;
    this.clock = clock;
  }

  /** Records a finished pull: without credentials, the module is public; with them, access. */
  void pulled(PullKey key, RegistryCredentials credentials, String digest, String imageDigest) {
    if (credentials == null) {
      cache.markPulledAnonymously(digest);
    } else {
      checks.granted(new CheckKey(key.credentials(), checked(key, imageDigest).toString()));
    }
  }

  /** Starts over for a plugin about to be looked at: it waits on no check. */
  void forget(PluginRef ref) {
    checks.waiting(ref, null);
  }

  /**
   * Why {@code plugin} does not get the module yet, or null when it may: a private module needs the
   * registry's grant for the plugin's own credentials, or for an anonymous pull if it has none.
   */
  ModuleStatus withheld(
      PluginSpec plugin,
      PullKey key,
      RegistryCredentials credentials,
      String moduleDigest,
      String imageDigest) {
    Given offered = new Given(key, moduleDigest);
    ImageReference image = key.isOci() ? checked(key, imageDigest) : null;
    CheckKey check = image == null ? null : new CheckKey(key.credentials(), image.toString());
    SharingRule.Verdict last = check == null ? null : checks.last(check);
    SharingRule.Decision decision =
        SharingRule.decide(
            key.isOci(),
            cache.pulledAnonymously(moduleDigest),
            offered.equals(given.get(plugin.ref())),
            last,
            clock.instant());
    if (decision.action() == SharingRule.Action.USE) {
      given.put(plugin.ref(), offered);
      return null;
    }
    checks.waiting(plugin.ref(), check);
    if (decision.check()) {
      checks.start(check, image, credentials);
    }
    String url = plugin.url().rest();
    return switch (decision.action()) {
      case REFUSE ->
          new ModuleStatus.Failed(
              "RegistryUnauthorized",
              (credentials == null
                      ? "anonymous pulls (no imagePullSecret) are not accepted for "
                      : "the plugin's credentials are not accepted for ")
                  + url
                  + "; "
                  + NOT_SHARED);
      case FAIL ->
          new ModuleStatus.Failed(
              last.reason(),
              "cannot check the plugin's access to "
                  + url
                  + ": "
                  + last.message()
                  + "; "
                  + NOT_SHARED);
      default -> new ModuleStatus.Pending("checking the plugin's access to " + url);
    };
  }

  /** Forgets the plugins not in {@code live}. */
  void retain(Set<PluginRef> live) {
    given.keySet().retainAll(live);
    checks.retain(live);
  }

  /** The image an access check asks for: the key's image at the manifest digest it resolved to. */
  private static ImageReference checked(PullKey key, String imageDigest) {
    ImageReference image = ImageReference.parse(key.url().substring(6));
    return imageDigest == null
        ? image
        : new ImageReference(image.registry(), image.repository(), imageDigest, true);
  }
}
