package io.wasmplane.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wasmplane.operator.concurrent.DaemonThreads;
import io.wasmplane.operator.config.DirectoryConfigSource;
import io.wasmplane.operator.http.HttpEndpoints;
import io.wasmplane.operator.http.Metrics;
import io.wasmplane.operator.kube.KubernetesConfigSource;
import io.wasmplane.operator.kube.PodAdmission;
import io.wasmplane.operator.kube.PodReconciler;
import io.wasmplane.operator.kube.ProxyTally;
import io.wasmplane.operator.kube.ReplicaReports;
import io.wasmplane.operator.kube.StatusLeader;
import io.wasmplane.operator.module.FetchScheduler;
import io.wasmplane.operator.module.HttpModuleFetcher;
import io.wasmplane.operator.module.HttpTransport;
import io.wasmplane.operator.module.InlineModuleBytes;
import io.wasmplane.operator.module.ModuleCache;
import io.wasmplane.operator.module.ModuleResolutions;
import io.wasmplane.operator.module.OciModuleFetcher;
import io.wasmplane.operator.module.TrustBundle;
import io.wasmplane.operator.plan.ControlPlane;
import io.wasmplane.operator.plan.PluginPlanner;
import io.wasmplane.operator.resolve.ChainResolver;
import io.wasmplane.operator.status.ConditionEvents;
import io.wasmplane.operator.status.StatusWriter;
import io.wasmplane.xds.ModuleBytes;
import io.wasmplane.xds.ModuleHandler;
import io.wasmplane.xds.ProxySession;
import io.wasmplane.xds.XdsEvents;
import io.wasmplane.xds.XdsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code wasmplane} process: wires the parts together by hand and runs until stopped. */
public final class WasmplaneOperator implements AutoCloseable {
  /** Modules larger than this are refused. */
  private static final long MAX_MODULE_BYTES = 256L << 20;

  /** How long xDS waits for the first configuration before it serves what it has. */
  private static final Duration FIRST_CONFIGURATION_WAIT = Duration.ofSeconds(60);

  /** Fetches that may run at once, across all hosts; each host gets at most two. */
  private static final int FETCH_THREADS = 8;

  static {
    // Module downloads are small writes; without this each waits on Nagle's algorithm.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final XdsServer xds;
  private final HttpEndpoints http;
  private final ControlPlane controlPlane;
  private final ExecutorService fetchers;
  private final ScheduledExecutorService retries;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Runnable startSources;

  private WasmplaneOperator(CliOptions options) {
    PluginPlanner planner = new PluginPlanner(new ChainResolver(options.rootNamespace()));
    this.fetchers =
        Executors.newFixedThreadPool(FETCH_THREADS, DaemonThreads.named("module-fetch"));
    this.retries = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fetch-retry"));
    ModuleCache cache = new ModuleCache(options.moduleCacheDir(), options.moduleCacheMaxBytes());
    ForwardingEvents events = new ForwardingEvents();
    KubernetesClient client = options.configDir() == null ? kubernetes(options) : null;
    PodAdmission pods = client == null ? null : new PodAdmission(planner, Duration.ofSeconds(10));
    boolean inline = options.moduleDelivery().equals("inline");
    this.xds =
        new XdsServer(
            options.bindAddress(),
            options.xdsPort(),
            pods == null ? planner : pods,
            events,
            inline ? new InlineModuleBytes(cache) : ModuleBytes.REMOTE);
    HttpTransport transport =
        new HttpTransport(
            TrustBundle.sslContext(options.moduleCaFile()),
            Duration.ofSeconds(30),
            MAX_MODULE_BYTES);
    ControlPlane[] self = new ControlPlane[1];
    ModuleResolutions modules =
        new ModuleResolutions(
            cache,
            new HttpModuleFetcher(transport),
            new OciModuleFetcher(transport, Set.copyOf(options.insecureRegistries())),
            new FetchScheduler(fetchers, retries),
            () -> self[0].refresh());
    this.controlPlane = new ControlPlane(planner, modules, xds);
    self[0] = controlPlane;
    java.util.function.Supplier<String> sourceMetrics;
    if (client == null) {
      DirectoryConfigSource source =
          new DirectoryConfigSource(options.configDir(), controlPlane::apply);
      closeables.add(source);
      sourceMetrics = () -> "";
      this.startSources = source::start;
    } else {
      KubernetesConfigSource source =
          new KubernetesConfigSource(
              client, watched(options), controlPlane::apply, new PodReconciler(pods, xds));
      String identity = identity();
      String leaseNamespace =
          options.leaderElectionNamespace() != null
              ? options.leaderElectionNamespace()
              : podNamespace();
      StatusWriter[] writer = new StatusWriter[1];
      StatusLeader leader =
          new StatusLeader(client, leaseNamespace, identity, () -> writer[0].changed());
      ReplicaReports reports =
          new ReplicaReports(
              client,
              leaseNamespace,
              identity,
              () -> ProxyTally.of(xds.sessions()),
              () -> writer[0].changed());
      writer[0] =
          new StatusWriter(
              client, source, controlPlane, xds, leader, reports, new ConditionEvents(client));
      events.target =
          () -> {
            writer[0].changed();
            reports.changed();
          };
      controlPlane.onApplied(writer[0]::changed);
      closeables.add(writer[0]);
      closeables.add(reports);
      closeables.add(leader);
      closeables.add(source);
      closeables.add(client);
      sourceMetrics =
          () ->
              Metrics.reconciles(source.reconcileCounts()) + Metrics.statusLeader(leader.leading());
      this.startSources =
          () -> {
            source.start();
            reports.start();
            leader.start();
          };
    }
    this.http =
        new HttpEndpoints(
            options.bindAddress(),
            options.httpPort(),
            controlPlane,
            xds,
            new ModuleHandler(cache, inline ? digest -> false : xds::planned, xds),
            sourceMetrics);
  }

  /** Sends xDS events to status and the proxy report once there are such. */
  private static final class ForwardingEvents implements XdsEvents {
    private volatile Runnable target;

    @Override
    public void connected(ProxySession session) {
      poke();
    }

    @Override
    public void disconnected(ProxySession session) {
      poke();
    }

    @Override
    public void answered(ProxySession session, String typeUrl, boolean accepted) {
      poke();
    }

    private void poke() {
      Runnable changed = target;
      if (changed != null) {
        changed.run();
      }
    }
  }

  /** The namespaces to read plugins from: all, or the listed ones plus the root namespace. */
  private static List<String> watched(CliOptions options) {
    if (options.namespaces().isEmpty()) {
      return List.of();
    }
    java.util.Set<String> namespaces = new java.util.LinkedHashSet<>(options.namespaces());
    namespaces.add(options.rootNamespace());
    return List.copyOf(namespaces);
  }

  private static KubernetesClient kubernetes(CliOptions options) {
    Config config;
    try {
      config =
          options.kubeconfig() != null
              ? Config.fromKubeconfig(Files.readString(options.kubeconfig()))
              : Config.autoConfigure(null);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "cannot read --kubeconfig " + options.kubeconfig() + ": " + e.getMessage(), e);
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
        + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  private static String podNamespace() {
    String namespace = System.getenv("POD_NAMESPACE");
    if (namespace != null && !namespace.isBlank()) {
      return namespace;
    }
    try {
      return Files.readString(Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace"))
          .trim();
    } catch (java.io.IOException e) {
      return "default";
    }
  }

  /** Starts serving; the returned operator runs until {@link #close()}. */
  public static WasmplaneOperator start(CliOptions options) {
    WasmplaneOperator operator = new WasmplaneOperator(options);
    operator.http.start();
    operator.startSources.run();
    operator.awaitFirstConfiguration();
    operator.xds.start();
    LoggerFactory.getLogger(WasmplaneOperator.class)
        .info(
            "serving xDS on {}:{} and HTTP on {}:{}, config from {}, root namespace {}",
            options.bindAddress(),
            operator.xds.port(),
            options.bindAddress(),
            operator.http.port(),
            options.configDir() == null ? "Kubernetes" : options.configDir(),
            options.rootNamespace());
    return operator;
  }

  /**
   * Holds xDS back until the first configuration is in, so a proxy reconnecting to a restarted
   * operator is never served a partial chain; after a bound it starts anyway, and says so.
   */
  private void awaitFirstConfiguration() {
    Logger log = LoggerFactory.getLogger(WasmplaneOperator.class);
    try {
      if (!controlPlane.awaitLoaded(FIRST_CONFIGURATION_WAIT)) {
        log.warn(
            "no configuration after {}s; serving xDS anyway, with what is known so far",
            FIRST_CONFIGURATION_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int xdsPort() {
    return xds.port();
  }

  public int httpPort() {
    return http.port();
  }

  public ControlPlane controlPlane() {
    return controlPlane;
  }

  public XdsServer xds() {
    return xds;
  }

  @Override
  public void close() throws Exception {
    http.close();
    xds.close();
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    fetchers.shutdownNow();
    retries.shutdownNow();
  }

  public static void main(String[] args) throws Exception {
    CliOptions options;
    try {
      options = CliOptions.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("wasmplane: " + e.getMessage());
      System.err.println("Run wasmplane --help for usage.");
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.print(CliOptions.USAGE);
      return;
    }
    System.setProperty("org.slf4j.simpleLogger.log.io.wasmplane", options.logLevel());
    Logger log = LoggerFactory.getLogger(WasmplaneOperator.class);
    WasmplaneOperator operator;
    try {
      operator = start(options);
    } catch (RuntimeException e) {
      log.error("cannot start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("shutting down");
                  try {
                    operator.close();
                  } catch (Exception e) {
                    log.warn("error while shutting down: {}", e.toString());
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }
}
