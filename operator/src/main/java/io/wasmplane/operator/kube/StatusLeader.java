package io.wasmplane.operator.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.wasmplane.operator.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the status lease. Only the holder writes plugin status; every replica serves xDS whether it
 * holds the lease or not, and losing it neither stops serving nor ends the process. A replica that
 * lost the lease (say, the apiserver was away longer than the renew deadline) joins the election
 * again, so status writing resumes once the apiserver is back.
 */
public final class StatusLeader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusLeader.class);
  private static final Duration REJOIN = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final Runnable onLead;
  private final ScheduledExecutorService rejoins =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("status-lease"));
  private volatile boolean leading;
  private volatile boolean closed;
  private CompletableFuture<?> running;

  public StatusLeader(KubernetesClient client, String namespace, String identity, Runnable onLead) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.onLead = onLead;
  }

  public StatusLeader start() {
    join();
    return this;
  }

  private synchronized void join() {
    if (closed) {
      return;
    }
    running = elector().start();
    running.whenComplete(
        (done, error) -> {
          if (closed) {
            return;
          }
          LOG.info("{} rejoins the status lease election in {}s", identity, REJOIN.toSeconds());
          try {
            rejoins.schedule(this::join, REJOIN.toMillis(), TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException e) {
            // closing
          }
        });
  }

  private LeaderElector elector() {
    return client
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
                              "{} no longer holds the status lease; xDS keeps serving", identity);
                        },
                        leader -> LOG.info("status lease holder is {}", leader)))
                .build())
        .build();
  }

  public boolean leading() {
    return leading;
  }

  @Override
  public synchronized void close() {
    closed = true;
    rejoins.shutdownNow();
    if (running != null) {
      running.cancel(true);
    }
  }
}
