package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the status lease. Only the holder writes WasmPlugin status; every replica serves xDS
 * whether it holds the lease or not, and losing it neither stops serving nor ends the process.
 */
public final class StatusLeader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusLeader.class);

  private final LeaderElector elector;
  private volatile boolean leading;
  private CompletableFuture<?> running;

  public StatusLeader(KubernetesClient client, String namespace, String identity, Runnable onLead) {
    this.elector =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName("wasmplane-status")
                    .withLock(new LeaseLock(namespace, "wasmplane-status", identity))
                    .withLeaseDuration(Duration.ofSeconds(15))
                    .withRenewDeadline(Duration.ofSeconds(10))
                    .withRetryPeriod(Duration.ofSeconds(2))
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            () -> {
                              leading = true;
                              LOG.info("{} holds the status lease in {}", identity, namespace);
                              onLead.run();
                            },
                            () -> {
                              leading = false;
                              LOG.info(
                                  "{} no longer holds the status lease; xDS keeps serving",
                                  identity);
                            },
                            leader -> LOG.info("status lease holder is {}", leader)))
                    .build())
            .build();
  }

  public StatusLeader start() {
    running = elector.start();
    return this;
  }

  public boolean leading() {
    return leading;
  }

  @Override
  public void close() {
    if (running != null) {
      running.cancel(true);
    }
  }
}
