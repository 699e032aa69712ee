package io.wasmplane.operator.plan;

import io.wasmplane.operator.config.ConfigSnapshot;
import io.wasmplane.operator.plugin.PluginRef;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.xds.ExtensionOffer;
import io.wasmplane.xds.ModuleSource;
import io.wasmplane.xds.XdsServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each new configuration: looks up every plugin's module, installs the result in the
 * planner, and has the xDS server push what changed to the proxies.
 */
public final class ControlPlane {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final PluginPlanner planner;
  private final ModuleResolver modules;
  private final XdsServer xds;
  private volatile boolean loaded;
  private final CountDownLatch firstLoad = new CountDownLatch(1);
  private ConfigSnapshot last;
  private volatile Runnable onApplied = () -> {};

  public ControlPlane(PluginPlanner planner, ModuleResolver modules, XdsServer xds) {
    this.planner = planner;
    this.modules = modules;
    this.xds = xds;
  }

  /** Installs a config source's reading and pushes the result. */
  public synchronized void apply(ConfigSnapshot snapshot) {
    last = snapshot;
    modules.secrets(snapshot.secrets());
    Map<PluginRef, ModuleStatus> statuses = new HashMap<>();
    Map<PluginRef, ModuleStatus> previous = planner.state().modules();
    for (PluginSpec plugin : snapshot.plugins()) {
      ModuleStatus status = stale(plugin, modules.status(plugin));
      statuses.put(plugin.ref(), status);
      if (!status.equals(previous.get(plugin.ref()))) {
        logModule(plugin, status);
      }
      if (plugin.unsupportedTarget() != null && !previous.containsKey(plugin.ref())) {
        LOG.warn(
            "plugin {} attaches to {}, which is not supported; it runs nowhere",
            plugin.ref(),
            plugin.unsupportedTarget());
      }
    }
    planner.update(
        new ConfigState(snapshot.plugins(), statuses), snapshot.problems(), snapshot.generations());
    xds.replanAll();
    modules.retain(snapshot.plugins());
    loaded = true;
    firstLoad.countDown();
    onApplied.run();
  }

  /**
   * A failed module of a plugin whose proxies keep its last verified version says so, since that
   * version keeps serving; the planner makes that choice, and status must tell.
   */
  private ModuleStatus stale(PluginSpec plugin, ModuleStatus status) {
    if (!(status instanceof ModuleStatus.Failed failed)) {
      return status;
    }
    ExtensionOffer before = planner.offer(plugin.ref());
    if (before == null
        || before.good() == null
        || !(before.good().module() instanceof ModuleSource.Served served)) {
      return status;
    }
    return new ModuleStatus.Failed(
        failed.reason(),
        failed.message() + "; proxies keep the last verified module sha256:" + served.sha256());
  }

  /** Runs {@code listener} after every applied configuration, e.g. to update status. */
  public void onApplied(Runnable listener) {
    this.onApplied = listener;
  }

  /** Re-evaluates the last configuration, e.g. after a module fetch finished. */
  public synchronized void refresh() {
    if (last != null) {
      apply(last);
    }
  }

  private void logModule(PluginSpec plugin, ModuleStatus status) {
    if (status instanceof ModuleStatus.Ready ready) {
      LOG.info(
          "plugin {}: module ready ({}){}",
          plugin.ref(),
          plugin.source(),
          ready.note() == null ? "" : "; " + ready.note());
    } else if (status instanceof ModuleStatus.Pending pending) {
      LOG.info("plugin {}: module pending: {}", plugin.ref(), pending.reason());
    } else if (status instanceof ModuleStatus.Failed failed) {
      LOG.warn(
          "plugin {}: module unavailable ({}): {}; {} in place",
          plugin.ref(),
          failed.reason(),
          failed.message(),
          planner.offer(plugin.ref()) != null && planner.offer(plugin.ref()).good() != null
              ? "the last verified version stays"
              : plugin.failStrategy().standInDescription());
    }
  }

  public PluginPlanner planner() {
    return planner;
  }

  /** The configuration in force, as one consistent value. */
  public AppliedConfig applied() {
    return planner.applied();
  }

  /** Waits up to {@code timeout} for the first configuration; says whether it was applied. */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return firstLoad.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Whether the first configuration has been applied. */
  public boolean loaded() {
    return loaded;
  }
}
