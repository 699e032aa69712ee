package io.wasmplane.operator.module;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.plan.ModuleResolver;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.plugin.PullPolicy;
import io.wasmplane.xds.ModuleSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches, verifies and caches the modules plugins name, and says where each plugin's module
 * stands. Fetches run in the background, one per distinct module at a time however many plugins
 * name it; when one finishes, {@code onChange} runs so the control plane can replan. Transient
 * failures are retried with backoff, so a registry that recovers heals its plugins unaided.
 */
public final class ModuleManager implements ModuleResolver {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleManager.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final ModuleCache cache;
  private final HttpModuleFetcher http;
  private final OciModuleFetcher oci;
  private final ScheduledExecutorService executor;
  private final Runnable onChange;
  private final Map<Key, Outcome> outcomes = new ConcurrentHashMap<>();
  private final Set<Key> inflight = ConcurrentHashMap.newKeySet();
  private final Map<Key, Integer> attempts = new ConcurrentHashMap<>();
  private final Map<PluginRef, Outcome.Success> lastGood = new ConcurrentHashMap<>();
  private final Map<PluginRef, ModuleStatus> lastStatus = new ConcurrentHashMap<>();
  private volatile Map<String, JsonNode> secrets = Map.of();

  /** One distinct fetch: a url, the credentials used, and what forces a new pull. */
  private record Key(String url, String credentials, String trigger) {}

  private sealed interface Outcome {
    record Success(String url, String moduleDigest, String imageDigest) implements Outcome {}

    record Failure(String reason, String message, boolean retryable) implements Outcome {}
  }

  public ModuleManager(
      ModuleCache cache,
      HttpModuleFetcher http,
      OciModuleFetcher oci,
      ScheduledExecutorService executor,
      Runnable onChange) {
    this.cache = cache;
    this.http = http;
    this.oci = oci;
    this.executor = executor;
    this.onChange = onChange;
  }

  @Override
  public void secrets(Map<String, JsonNode> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  @Override
  public ModuleStatus status(PluginSpec plugin) {
    ModuleStatus status = evaluate(plugin);
    if (status instanceof ModuleStatus.Pending) {
      // While a new pull runs, keep what the proxies already have, so LDS does not churn.
      ModuleStatus previous = lastStatus.get(plugin.ref());
      if (previous != null) {
        return previous;
      }
    } else {
      lastStatus.put(plugin.ref(), status);
    }
    return status;
  }

  private ModuleStatus evaluate(PluginSpec plugin) {
    if (plugin.url().isFile()) {
      String note =
          plugin.sha256() == null || plugin.sha256().isEmpty()
              ? null
              : "sha256 not checked: file:// modules are read by the proxy, not the operator";
      return new ModuleStatus.Ready(
          new ModuleSource.LocalFile(plugin.url().rest()), null, null, note);
    }
    RegistryCredentials credentials = null;
    if (plugin.url().isOci() && plugin.pullSecret() != null) {
      String name = plugin.namespace() + "/" + plugin.pullSecret();
      JsonNode secret = secrets.get(name);
      if (secret == null) {
        return new ModuleStatus.Failed(
            "PullSecretNotFound", "pull secret " + name + " does not exist");
      }
      try {
        credentials =
            DockerConfig.credentials(
                secret, name, ImageReference.parse(plugin.url().rest()).registry());
      } catch (FetchException e) {
        return new ModuleStatus.Failed(e.reason(), e.getMessage());
      }
    }
    String url = canonicalUrl(plugin);
    boolean pinned = plugin.url().isOci() && ImageReference.parse(plugin.url().rest()).pinned();
    String trigger =
        plugin.pullPolicy() == PullPolicy.ALWAYS && !pinned
            ? plugin.generation() + "/" + plugin.metadataHash()
            : "";
    Key key = new Key(url, fingerprint(credentials), trigger);
    Outcome outcome = outcomes.get(key);
    if (outcome == null && trigger.isEmpty()) {
      outcome =
          cache
              .resolved(url)
              .<Outcome>map(r -> new Outcome.Success(url, r.moduleDigest(), r.imageDigest()))
              .orElse(null);
      if (outcome != null) {
        outcomes.put(key, outcome);
      }
    }
    if (outcome == null) {
      fetch(key, credentials, plugin.ref());
      return new ModuleStatus.Pending("fetching " + url);
    }
    if (outcome instanceof Outcome.Failure failure) {
      return new ModuleStatus.Failed(failure.reason(), failure.message());
    }
    return verify(plugin, (Outcome.Success) outcome);
  }

  private ModuleStatus verify(PluginSpec plugin, Outcome.Success success) {
    String expected = plugin.sha256();
    if (expected != null && !expected.isEmpty()) {
      if (plugin.url().isOci()) {
        if (!("sha256:" + expected).equals(success.imageDigest())) {
          return new ModuleStatus.Failed(
              "ChecksumMismatch",
              "sha256 "
                  + expected
                  + " does not match the image's manifest digest "
                  + success.imageDigest()
                  + " (module bytes sha256:"
                  + success.moduleDigest()
                  + ")");
        }
      } else if (!expected.equals(success.moduleDigest())) {
        return new ModuleStatus.Failed(
            "ChecksumMismatch",
            "sha256 " + expected + " does not match the module's sha256 " + success.moduleDigest());
      }
    }
    lastGood.put(plugin.ref(), success);
    return new ModuleStatus.Ready(
        new ModuleSource.Served(success.moduleDigest()),
        success.moduleDigest(),
        success.imageDigest(),
        null);
  }

  private void fetch(Key key, RegistryCredentials credentials, PluginRef first) {
    if (!inflight.add(key)) {
      return;
    }
    executor.execute(() -> run(key, credentials, first));
  }

  private void run(Key key, RegistryCredentials credentials, PluginRef first) {
    long start = System.nanoTime();
    Outcome outcome;
    try {
      FetchedModule module =
          key.url().startsWith("oci://")
              ? oci.fetch(ImageReference.parse(key.url().substring(6)), credentials)
              : http.fetch(key.url());
      String digest = cache.put(module.bytes());
      cache.remember(key.url(), new ModuleCache.Resolved(digest, module.imageDigest()));
      outcome = new Outcome.Success(key.url(), digest, module.imageDigest());
      attempts.remove(key);
      LOG.info(
          "fetched {} for {}: module sha256:{} ({} bytes{}) in {} ms",
          key.url(),
          first,
          digest,
          module.bytes().length,
          module.imageDigest() == null ? "" : ", image " + module.imageDigest(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (FetchException e) {
      outcome = new Outcome.Failure(e.reason(), e.getMessage(), e.retryable());
      if (e.retryable()) {
        int attempt = attempts.merge(key, 1, Integer::sum);
        long delay = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(attempt, 10));
        LOG.warn(
            "fetching {} failed ({}): {}; retrying in {} ms",
            key.url(),
            e.reason(),
            e.getMessage(),
            delay);
        executor.schedule(
            () -> {
              if (inflight.add(key)) {
                run(key, credentials, first);
              }
            },
            delay,
            TimeUnit.MILLISECONDS);
      } else {
        LOG.warn("fetching {} failed ({}): {}", key.url(), e.reason(), e.getMessage());
      }
    } catch (RuntimeException e) {
      outcome = new Outcome.Failure("FetchFailed", e.toString(), false);
      LOG.warn("fetching {} failed: {}", key.url(), e.toString());
    }
    Outcome previous = outcomes.put(key, outcome);
    inflight.remove(key);
    if (!outcome.equals(previous)) {
      onChange.run();
    }
  }

  @Override
  public void retain(Collection<PluginSpec> live) {
    Set<PluginRef> refs = new HashSet<>();
    Set<String> inUse = new HashSet<>();
    for (PluginSpec plugin : live) {
      refs.add(plugin.ref());
      Outcome.Success good = lastGood.get(plugin.ref());
      if (good != null) {
        inUse.add(good.moduleDigest());
      }
    }
    lastGood.keySet().retainAll(refs);
    lastStatus.keySet().retainAll(refs);
    cache.evict(inUse);
  }

  private static String canonicalUrl(PluginSpec plugin) {
    return plugin.url().scheme() + "://" + plugin.url().rest();
  }

  private static String fingerprint(RegistryCredentials credentials) {
    if (credentials == null) {
      return "";
    }
    return WasmBytes.sha256Hex(
            (credentials.username() + "\n" + credentials.password())
                .getBytes(StandardCharsets.UTF_8))
        .substring(0, 16);
  }
}
