package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.crd.ImageReference;
import io.wasmplane.operator.module.PullRule.PullKey;
import io.wasmplane.operator.plan.ModuleResolver;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.ModuleSource;
import java.net.URI;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says where each plugin's module stands, and has the modules fetched, verified and cached. Plugins
 * with the same {@link PullKey} share one fetch and its outcome however many name it; when a fetch
 * finishes, {@code onChange} runs so the control plane can replan. Failed fetches are retried on
 * the {@link FetchScheduler}'s schedule, so a registry that recovers heals its plugins unaided. A
 * private module (pulled with credentials) goes to a plugin only as {@link SharingRule} allows,
 * after {@link RegistryChecks} asked the registry with that plugin's own credentials.
 */
public final class ModuleResolutions implements ModuleResolver {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleResolutions.class);

  private final ModuleCache cache;
  private final HttpModuleFetcher http;
  private final ImageSource oci;
  private final FetchScheduler scheduler;
  private final Runnable onChange;
  private final Map<PullKey, Outcome> outcomes = new ConcurrentHashMap<>();
  private final Set<PullKey> inflight = ConcurrentHashMap.newKeySet();
  private final Map<PluginRef, PullKey> keys = new ConcurrentHashMap<>();
  private final Map<PluginRef, String> inUse = new ConcurrentHashMap<>();
  private final ModuleAccess access;
  private volatile Map<String, JsonNode> secrets = Map.of();

  private sealed interface Outcome {
    record Success(String moduleDigest, String imageDigest) implements Outcome {}

    record Failure(String reason, String message) implements Outcome {}
  }

  public ModuleResolutions(
      ModuleCache cache,
      HttpModuleFetcher http,
      ImageSource oci,
      FetchScheduler scheduler,
      Runnable onChange) {
    this(cache, http, oci, scheduler, Clock.systemUTC(), onChange);
  }

  ModuleResolutions(
      ModuleCache cache,
      HttpModuleFetcher http,
      ImageSource oci,
      FetchScheduler scheduler,
      Clock clock,
      Runnable onChange) {
    this.cache = cache;
    this.http = http;
    this.oci = oci;
    this.scheduler = scheduler;
    this.onChange = onChange;
    this.access =
        new ModuleAccess(cache, new RegistryChecks(oci, scheduler, clock, onChange), clock);
  }

  @Override
  public void secrets(Map<String, JsonNode> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  @Override
  public ModuleStatus status(PluginSpec plugin) {
    access.forget(plugin.ref());
    if (plugin.lua() != null) {
      return new ModuleStatus.Ready(new ModuleSource.Lua(plugin.lua()), null, null, null);
    }
    if (plugin.url().isFile()) {
      String note =
          plugin.sha256() == null || plugin.sha256().isEmpty()
              ? null
              : "sha256 not checked: file:// modules are read by the proxy, not the operator";
      return new ModuleStatus.Ready(
          new ModuleSource.LocalFile(plugin.url().rest()), null, null, note);
    }
    RegistryCredentials credentials = null;
    String anonymous = null;
    if (plugin.url().isOci() && plugin.pullSecret() != null) {
      String name = plugin.namespace() + "/" + plugin.pullSecret();
      JsonNode secret = secrets.get(name);
      if (secret == null) {
        return new ModuleStatus.Failed(
            "PullSecretNotFound", "pull secret " + name + " does not exist");
      }
      String registry = ImageReference.parse(plugin.url().rest()).registry();
      try {
        credentials = DockerConfig.credentials(secret, name, registry);
      } catch (FetchException e) {
        return new ModuleStatus.Failed(e.reason(), e.getMessage());
      }
      if (credentials == null) {
        anonymous = "pull secret " + name + " has no credentials for registry " + registry;
      }
    }
    ModuleStatus status = status(plugin, credentials);
    // Like Istio, a Secret with no entry for the registry means an anonymous pull.
    return anonymous != null && status instanceof ModuleStatus.Failed failed
        ? new ModuleStatus.Failed(
            failed.reason(), failed.message() + " (" + anonymous + ", so it pulled anonymously)")
        : status;
  }

  private ModuleStatus status(PluginSpec plugin, RegistryCredentials credentials) {
    PullKey key = PullRule.key(plugin, fingerprint(credentials));
    keys.put(plugin.ref(), key);
    Outcome outcome = outcomes.get(key);
    if (outcome == null && key.mayUseCache()) {
      outcome = cache.resolved(key.url()).map(r -> fromCache(key, r)).orElse(null);
      if (outcome != null) {
        outcomes.put(key, outcome);
      }
    }
    if (outcome == null) {
      fetch(key, credentials, plugin.ref());
      return new ModuleStatus.Pending("fetching " + key.url());
    }
    if (outcome instanceof Outcome.Failure failure) {
      return new ModuleStatus.Failed(failure.reason(), failure.message());
    }
    Outcome.Success success = (Outcome.Success) outcome;
    ModuleStatus withheld =
        access.withheld(plugin, key, credentials, success.moduleDigest(), success.imageDigest());
    if (withheld != null) {
      return withheld;
    }
    inUse.put(plugin.ref(), success.moduleDigest());
    return new ModuleStatus.Ready(
        new ModuleSource.Served(success.moduleDigest()),
        success.moduleDigest(),
        success.imageDigest(),
        null);
  }

  /** A module the cache remembers for the url, if it is the one the key pins. */
  private static Outcome fromCache(PullKey key, ModuleCache.Resolved resolved) {
    return PullRule.mismatch(key, resolved.moduleDigest(), resolved.imageDigest()) == null
        ? new Outcome.Success(resolved.moduleDigest(), resolved.imageDigest())
        : null;
  }

  private void fetch(PullKey key, RegistryCredentials credentials, PluginRef first) {
    if (inflight.add(key)) {
      Runnable attempt = new Attempt(key, credentials, first);
      scheduler.submit(host(key), attempt);
    }
  }

  /** One fetch of a key, which reschedules itself after a failure while the key is in use. */
  private final class Attempt implements Runnable {
    private final PullKey key;
    private final RegistryCredentials credentials;
    private final PluginRef first;
    private int failures;

    Attempt(PullKey key, RegistryCredentials credentials, PluginRef first) {
      this.key = key;
      this.credentials = credentials;
      this.first = first;
    }

    @Override
    public void run() {
      if (!keys.containsValue(key)) {
        inflight.remove(key);
        return;
      }
      long start = System.nanoTime();
      Outcome outcome;
      boolean retryable = false;
      try {
        FetchedModule module =
            key.isOci()
                ? oci.fetch(ImageReference.parse(key.url().substring(6)), credentials)
                : http.fetch(key.url());
        String digest = cache.put(module.bytes());
        access.pulled(key, credentials, digest, module.imageDigest());
        cache.remember(key.url(), new ModuleCache.Resolved(digest, module.imageDigest()));
        String mismatch = PullRule.mismatch(key, digest, module.imageDigest());
        outcome =
            mismatch == null
                ? new Outcome.Success(digest, module.imageDigest())
                : new Outcome.Failure("ChecksumMismatch", mismatch);
        LOG.info(
            "fetched {} for {}: module sha256:{} ({} bytes{}) in {} ms",
            key.url(),
            first,
            digest,
            module.bytes().length,
            module.imageDigest() == null ? "" : ", image " + module.imageDigest(),
            (System.nanoTime() - start) / 1_000_000);
      } catch (FetchException e) {
        outcome = new Outcome.Failure(e.reason(), e.getMessage());
        retryable = e.retryable();
      } catch (RuntimeException e) {
        outcome = new Outcome.Failure("FetchFailed", e.toString());
      }
      if (outcome instanceof Outcome.Failure failure) {
        failures++;
        var delay = scheduler.retry(host(key), this, failures, retryable);
        LOG.warn(
            "fetching {} failed ({}): {}; retrying in {} s",
            key.url(),
            failure.reason(),
            failure.message(),
            delay.toSeconds());
      } else {
        inflight.remove(key);
      }
      Outcome previous = outcomes.put(key, outcome);
      if (!outcome.equals(previous)) {
        onChange.run();
      }
    }
  }

  @Override
  public void retain(Collection<PluginSpec> live) {
    Set<PluginRef> refs = new HashSet<>();
    live.forEach(plugin -> refs.add(plugin.ref()));
    keys.keySet().retainAll(refs);
    inUse.keySet().retainAll(refs);
    access.retain(refs);
    outcomes.keySet().retainAll(new HashSet<>(keys.values()));
    cache.evict(new HashSet<>(inUse.values()));
  }

  private static String host(PullKey key) {
    if (key.isOci()) {
      return ImageReference.parse(key.url().substring(6)).registry();
    }
    String host = URI.create(key.url()).getAuthority();
    return host == null ? key.url() : host;
  }

  /** A SHA-256 of the credentials, or empty for none; never the secret itself. */
  private static String fingerprint(RegistryCredentials credentials) {
    return credentials == null ? "" : credentials.fingerprint();
  }
}
