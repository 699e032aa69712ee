package io.wasmplane.operator.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.operator.concurrent.Debouncer;
import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.config.ConfigSnapshot;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the latest reading of every reconciled plugin, of either kind, and hands them on together,
 * as one configuration, shortly after any of them changed. The first configuration waits until
 * every plugin in every kind's informer cache has been reconciled once, so a restarted operator
 * never serves a partial chain. An invalid update of a plugin keeps its last valid version serving,
 * as an apiserver refusing the update would; the problem says so.
 */
final class ReconciledPlugins implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReconciledPlugins.class);

  private final Map<PluginRef, PluginReading> readings = new ConcurrentHashMap<>();
  private final Map<PluginRef, PluginSpec> lastValid = new ConcurrentHashMap<>();
  private final Consumer<ConfigSnapshot> consumer;
  private final Debouncer debounce;
  private final List<Supplier<Stream<PluginRef>>> cached = new CopyOnWriteArrayList<>();
  private volatile boolean started;
  private ConfigSnapshot last;

  ReconciledPlugins(Consumer<ConfigSnapshot> consumer, Duration debounce) {
    this.consumer = consumer;
    this.debounce = new Debouncer("kube-config", debounce, this::publish);
  }

  /**
   * The plugins in one kind's informer cache, which the first configuration waits for; returns what
   * takes that wait back, for a cache that never started.
   */
  Runnable expect(Supplier<Stream<PluginRef>> cachedPlugins) {
    cached.add(cachedPlugins);
    return () -> {
      cached.remove(cachedPlugins);
      debounce.poke();
    };
  }

  /** Called once the informers have synced: from now on a configuration may be published. */
  void started() {
    started = true;
    debounce.poke();
  }

  /** Records a plugin's reading; returns the one it replaces, or null. */
  PluginReading put(PluginRef id, PluginReading reading) {
    if (reading.plugin() != null) {
      lastValid.put(id, reading.plugin());
    }
    PluginReading previous = readings.put(id, reading);
    if (!reading.equals(previous)) {
      debounce.poke();
    }
    return previous;
  }

  void remove(PluginRef id) {
    lastValid.remove(id);
    if (readings.remove(id) != null) {
      debounce.poke();
    }
  }

  private synchronized void publish() {
    if (last == null
        && (!started
            || cached.stream().anyMatch(c -> c.get().anyMatch(id -> !readings.containsKey(id))))) {
      return; // a reconcile still to come pokes again
    }
    List<PluginSpec> accepted = new ArrayList<>();
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, JsonNode> secrets = new TreeMap<>();
    Map<PluginRef, Long> generations = new TreeMap<>();
    for (Map.Entry<PluginRef, PluginReading> entry : readings.entrySet()) {
      PluginRef ref = entry.getKey();
      PluginReading reading = entry.getValue();
      generations.put(ref, reading.generation());
      PluginSpec serving = reading.plugin() != null ? reading.plugin() : lastValid.get(ref);
      if (serving != null) {
        accepted.add(serving);
      }
      reading.problems().stream()
          .map(p -> reading.plugin() == null && serving != null ? p.lastValidServes() : p)
          .forEach(problems::add);
      if (reading.secretKey() != null) {
        secrets.put(reading.secretKey(), reading.secret());
      }
    }
    accepted.sort(Comparator.comparing(PluginSpec::ref));
    problems.sort(Comparator.comparing(ConfigProblem::resource));
    ConfigSnapshot snapshot = new ConfigSnapshot(accepted, secrets, problems, generations);
    if (snapshot.equals(last)) {
      return;
    }
    last = snapshot;
    LOG.info(
        "read Kubernetes: {} plugins, {} pull secrets, {} problems",
        accepted.size(),
        secrets.size(),
        problems.size());
    try {
      consumer.accept(snapshot);
    } catch (RuntimeException e) {
      LOG.error("applying the configuration from Kubernetes failed", e);
    }
  }

  @Override
  public void close() {
    debounce.close();
  }
}
