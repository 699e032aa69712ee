package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.wasmplane.operator.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts reading TrafficExtensions once they become readable after the operator started (their CRD
 * installed, or access granted, later), with an SDK operator of their own: a started operator takes
 * no new reconciler. Looks every {@link #EVERY}; a reason is logged when it changes.
 */
final class LateTrafficExtensions implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(LateTrafficExtensions.class);

  private final KubernetesClient client;
  private final List<String> namespaces;
  private final Supplier<TrafficExtensionReconciler> reconcilers;
  private final Function<PluginReconciler<?>, Operator> operators;
  private final Consumer<PluginReconciler<?>> reading;
  private final ScheduledExecutorService lookups =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("crd-lookup"));
  private String lastReason;
  private Operator late;
  private boolean closed;

  /**
   * @param reconcilers makes a reconciler for the late operator
   * @param operators makes an operator running that one reconciler, not yet started
   * @param reading told of the reconciler once its operator started
   */
  LateTrafficExtensions(
      KubernetesClient client,
      List<String> namespaces,
      Supplier<TrafficExtensionReconciler> reconcilers,
      Function<PluginReconciler<?>, Operator> operators,
      Consumer<PluginReconciler<?>> reading) {
    this.client = client;
    this.namespaces = namespaces;
    this.reconcilers = reconcilers;
    this.operators = operators;
    this.reading = reading;
  }

  /** Starts looking, as TrafficExtensions could not be read at start for {@code reason}. */
  void lookAfter(String reason) {
    lastReason = reason;
    LOG.warn(
        "TrafficExtensions are not read: {}; WasmPlugins are served, and access is checked again"
            + " every {} s",
        reason,
        EVERY.toSeconds());
    lookups.scheduleWithFixedDelay(
        this::look, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void look() {
    synchronized (this) {
      if (closed || late != null) {
        return;
      }
    }
    TrafficExtensionReconciler reconciler = null;
    try {
      String reason = TrafficExtensionAccess.check(client, namespaces).reason();
      if (reason != null) {
        if (!Objects.equals(reason, lastReason)) {
          LOG.warn("TrafficExtensions are still not read: {}", reason);
          lastReason = reason;
        }
        return;
      }
      reconciler = reconcilers.get();
      Operator extensions = operators.apply(reconciler);
      extensions.start(); // outside the lock: it waits for the informers to sync
      synchronized (this) {
        if (closed) {
          extensions.stop();
          return;
        }
        late = extensions;
      }
      reading.accept(reconciler);
      lookups.shutdown();
      LOG.info("TrafficExtensions can be read now; reading them");
    } catch (RuntimeException e) {
      if (reconciler != null) {
        reconciler.forget();
      }
      LOG.warn("starting to read TrafficExtensions failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    lookups.shutdownNow();
    Operator running;
    synchronized (this) {
      closed = true;
      running = late;
    }
    if (running != null) {
      running.stop();
    }
  }
}
