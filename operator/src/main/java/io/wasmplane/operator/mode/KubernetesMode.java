package io.wasmplane.operator.mode;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wasmplane.operator.concurrent.ChangeSignal;
import io.wasmplane.operator.http.Metrics;
import io.wasmplane.operator.kube.GatewayIndex;
import io.wasmplane.operator.kube.KubernetesConfigSource;
import io.wasmplane.operator.kube.PodAdmission;
import io.wasmplane.operator.kube.PodReconciler;
import io.wasmplane.operator.kube.ProxyTally;
import io.wasmplane.operator.kube.ReplicaReports;
import io.wasmplane.operator.kube.StatusLeader;
import io.wasmplane.operator.plan.ControlPlane;
import io.wasmplane.operator.status.ConditionEvents;
import io.wasmplane.operator.status.StatusWriter;
import io.wasmplane.xds.XdsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Kubernetes mode: reconcilers on WasmPlugins, TrafficExtensions, their pull Secrets and Pods, and,
 * on the holder of the status lease, status written from every replica's proxy counts.
 */
public final class KubernetesMode implements ConfigMode {
  private final KubernetesClient client;
  private final GatewayIndex gateways;
  private final KubernetesConfigSource source;
  private final StatusLeader leader;
  private final ReplicaReports reports;
  private final StatusWriter writer;

  /**
   * @param options where the cluster is and what to watch
   * @param client the cluster, closed with this mode
   * @param gateways the Gateways' classes, started and stopped with this mode
   * @param controlPlane applies each configuration read
   * @param xds the proxies, whose identities come from their Pods and whose counts go into status
   * @param admission admits proxies by their Pods
   * @param proxiesChanged fires when a proxy connects, leaves or answers
   */
  public KubernetesMode(
      Options options,
      KubernetesClient client,
      GatewayIndex gateways,
      ControlPlane controlPlane,
      XdsServer xds,
      PodAdmission admission,
      ChangeSignal proxiesChanged) {
    this.client = client;
    this.gateways = gateways;
    this.source =
        new KubernetesConfigSource(
            client, options.namespaces(), controlPlane::apply, new PodReconciler(admission, xds));
    ChangeSignal statusInputs = new ChangeSignal();
    String identity = identity();
    this.leader = new StatusLeader(client, options.leaseNamespace(), identity, statusInputs::fire);
    this.reports =
        new ReplicaReports(
            client,
            options.leaseNamespace(),
            identity,
            () -> ProxyTally.of(xds.sessions()),
            statusInputs::fire);
    this.writer =
        new StatusWriter(
            client, source, controlPlane, xds, leader, reports, new ConditionEvents(client));
    statusInputs.subscribe(writer::changed);
    proxiesChanged.subscribe(writer::changed);
    proxiesChanged.subscribe(reports::changed);
    controlPlane.onApplied(writer::changed);
  }

  /**
   * What Kubernetes mode is told on the command line.
   *
   * @param kubeconfig the cluster, or null for in-cluster configuration
   * @param namespaces namespaces to read plugins from (the root namespace included), or empty for
   *     all
   * @param leaseNamespace where the status and proxy-count Leases live
   */
  public record Options(Path kubeconfig, List<String> namespaces, String leaseNamespace) {
    /**
     * Options from the flags: with {@code --namespaces}, the root namespace is watched too; without
     * {@code --leader-election-namespace}, the Pod's own namespace holds the leases.
     */
    public static Options of(
        Path kubeconfig, List<String> namespaces, String rootNamespace, String leaseNamespace) {
      List<String> watched = List.of();
      if (!namespaces.isEmpty()) {
        Set<String> all = new LinkedHashSet<>(namespaces);
        all.add(rootNamespace);
        watched = List.copyOf(all);
      }
      return new Options(
          kubeconfig, watched, leaseNamespace != null ? leaseNamespace : podNamespace());
    }

    /** The operator's own namespace: the Pod's, or else where its leases live. */
    public String ownNamespace() {
      String pod = System.getenv("POD_NAMESPACE");
      return pod != null && !pod.isBlank() ? pod : leaseNamespace;
    }
  }

  @Override
  public void start() {
    gateways.start();
    source.start();
    reports.start();
    leader.start();
  }

  @Override
  public String metrics() {
    return Metrics.reconciles(source.reconcileCounts()) + Metrics.statusLeader(leader.leading());
  }

  @Override
  public void close() throws Exception {
    writer.close();
    reports.close();
    leader.close();
    source.close();
    gateways.close();
    client.close();
  }

  /** A client for the cluster {@code kubeconfig} names, or the one this Pod runs in. */
  public static KubernetesClient client(Path kubeconfig) {
    Config config;
    try {
      config =
          kubeconfig != null
              ? Config.fromKubeconfig(Files.readString(kubeconfig))
              : Config.autoConfigure(null);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read --kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The lease identity: the Pod's name in a cluster, else the host name with a random suffix. */
  private static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "wasmplane" : host)
        + "-"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String podNamespace() {
    String namespace = System.getenv("POD_NAMESPACE");
    if (namespace != null && !namespace.isBlank()) {
      return namespace;
    }
    try {
      return Files.readString(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace"))
          .trim();
    } catch (IOException e) {
      return "default";
    }
  }
}
