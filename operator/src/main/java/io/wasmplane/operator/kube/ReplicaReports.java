package io.wasmplane.operator.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wasmplane.operator.concurrent.DaemonThreads;
import io.wasmplane.operator.concurrent.Debouncer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares proxy counts between replicas, so status counts every proxy whichever replica it is
 * connected to. Each replica keeps its own counts in a Lease ({@code wasmplane-proxies-<identity>}
 * in the lease namespace), renewed while it runs and deleted when it stops; a report whose lease
 * has expired, from a replica that died, is ignored.
 */
public final class ReplicaReports implements AutoCloseable {
  static final String LABEL = "wasmplane.io/report";
  static final String ANNOTATION = "wasmplane.io/proxies";
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaReports.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, ProxyCounts>> COUNTS = new TypeReference<>() {};
  private static final Duration RENEW = Duration.ofSeconds(10);
  private static final int TTL_SECONDS = 30;

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final String leaseName;
  private final Supplier<Map<String, ProxyCounts>> local;
  private final Runnable onOthersChanged;
  private final Debouncer publishes;
  private final ScheduledExecutorService renewals =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("replica-report"));
  private SharedIndexInformer<Lease> reports;
  private volatile boolean closed;
  private volatile boolean failing;

  /**
   * Publishes {@code local} for this replica; runs {@code onOthersChanged} when another replica's
   * report changes.
   */
  public ReplicaReports(
      KubernetesClient client,
      String namespace,
      String identity,
      Supplier<Map<String, ProxyCounts>> local,
      Runnable onOthersChanged) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.leaseName = "wasmplane-proxies-" + identity;
    this.local = local;
    this.onOthersChanged = onOthersChanged;
    this.publishes = new Debouncer("replica-report", Duration.ofMillis(300), this::publish);
  }

  public ReplicaReports start() {
    ResourceEventHandler<Lease> handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Lease lease) {
            others(lease);
          }

          @Override
          public void onUpdate(Lease before, Lease after) {
            others(after);
          }

          @Override
          public void onDelete(Lease lease, boolean unknown) {
            others(lease);
          }

          private void others(Lease lease) {
            if (!leaseName.equals(lease.getMetadata().getName())) {
              onOthersChanged.run();
            }
          }
        };
    reports = client.leases().inNamespace(namespace).withLabel(LABEL, "proxies").inform(handler);
    renewals.scheduleWithFixedDelay(publishes::poke, 0, RENEW.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** This replica's counts changed: publish them soon. */
  public void changed() {
    publishes.poke();
  }

  /** The counts the other live replicas report, summed, by ECDS resource name. */
  public Map<String, ProxyCounts> others() {
    return reports == null ? Map.of() : sum(reports.getStore().list(), leaseName, Instant.now());
  }

  /** Sums the reports in {@code leases} other than {@code self} whose lease has not expired. */
  static Map<String, ProxyCounts> sum(Collection<Lease> leases, String self, Instant now) {
    Map<String, ProxyCounts> total = new TreeMap<>();
    for (Lease lease : leases) {
      if (lease.getMetadata().getName().equals(self) || expired(lease, now)) {
        continue;
      }
      String json =
          lease.getMetadata().getAnnotations() == null
              ? null
              : lease.getMetadata().getAnnotations().get(ANNOTATION);
      if (json == null) {
        continue;
      }
      try {
        JSON.readValue(json, COUNTS)
            .forEach((name, counts) -> total.merge(name, counts, ProxyCounts::plus));
      } catch (JsonProcessingException e) {
        LOG.debug(
            "ignoring unreadable report {}: {}", lease.getMetadata().getName(), e.getMessage());
      }
    }
    return total;
  }

  private static boolean expired(Lease lease, Instant now) {
    if (lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
      return true;
    }
    int ttl =
        lease.getSpec().getLeaseDurationSeconds() == null
            ? TTL_SECONDS
            : lease.getSpec().getLeaseDurationSeconds();
    return lease.getSpec().getRenewTime().toInstant().plusSeconds(ttl).isBefore(now);
  }

  private void publish() {
    if (closed) {
      return;
    }
    try {
      Lease lease =
          new LeaseBuilder()
              .withNewMetadata()
              .withName(leaseName)
              .withNamespace(namespace)
              .addToLabels(LABEL, "proxies")
              .addToAnnotations(ANNOTATION, JSON.writeValueAsString(local.get()))
              .endMetadata()
              .withNewSpec()
              .withHolderIdentity(identity)
              .withLeaseDurationSeconds(TTL_SECONDS)
              .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
              .endSpec()
              .build();
      client.leases().inNamespace(namespace).resource(lease).createOr(NonDeletingOperation::update);
      if (failing) {
        failing = false;
        LOG.info("proxy report {} published again", leaseName);
      }
    } catch (JsonProcessingException | KubernetesClientException e) {
      if (!failing) {
        failing = true;
        LOG.warn(
            "proxy report {} not published, other replicas' status will miss this replica's"
                + " proxies until it is: {}",
            leaseName,
            e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    renewals.shutdownNow();
    publishes.close();
    if (reports != null) {
      reports.close();
    }
    try {
      client.leases().inNamespace(namespace).withName(leaseName).delete();
    } catch (KubernetesClientException e) {
      LOG.debug("proxy report {} not deleted: {}", leaseName, e.getMessage());
    }
  }
}
