package io.wasmplane.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wasmplane.operator.concurrent.ChangeSignal;
import io.wasmplane.operator.concurrent.DaemonThreads;
import io.wasmplane.operator.http.HttpEndpoints;
import io.wasmplane.operator.kube.GatewayIndex;
import io.wasmplane.operator.kube.PodAdmission;
import io.wasmplane.operator.mode.ConfigMode;
import io.wasmplane.operator.mode.DirectoryMode;
import io.wasmplane.operator.mode.KubernetesMode;
import io.wasmplane.operator.module.AddressPolicy;
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
import io.wasmplane.operator.resolve.GatewayClasses;
import io.wasmplane.operator.trust.ProxyTrust;
import io.wasmplane.xds.ModuleBytes;
import io.wasmplane.xds.ModuleHandler;
import io.wasmplane.xds.ProxySession;
import io.wasmplane.xds.XdsEvents;
import io.wasmplane.xds.XdsServer;
import java.time.Duration;
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
  private final ConfigMode mode;

  private WasmplaneOperator(CliOptions options) {
    boolean kubernetes = options.configDir() == null;
    KubernetesClient client = kubernetes ? KubernetesMode.client(options.kubeconfig()) : null;
    KubernetesMode.Options kube =
        KubernetesMode.Options.of(
            options.kubeconfig(),
            options.namespaces(),
            options.rootNamespace(),
            options.leaderElectionNamespace());
    ChangeSignal gatewaysChanged = new ChangeSignal();
    GatewayIndex gateways =
        kubernetes ? new GatewayIndex(client, kube.namespaces(), gatewaysChanged) : null;
    PluginPlanner planner =
        new PluginPlanner(
            new ChainResolver(
                options.rootNamespace(), gateways != null ? gateways : GatewayClasses.NONE));
    PodAdmission admission = kubernetes ? new PodAdmission(planner, Duration.ofSeconds(10)) : null;
    ModuleCache cache = new ModuleCache(options.moduleCacheDir(), options.moduleCacheMaxBytes());
    boolean inline = options.moduleDelivery().equals("inline");
    ChangeSignal proxiesChanged = new ChangeSignal();
    this.retries = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fetch-retry"));
    ProxyTrust trust =
        ProxyTrust.of(
            options.xds(),
            kubernetes ? kube.ownNamespace() : null,
            client,
            options.bindAddress(),
            retries);
    this.xds =
        new XdsServer(
            options.bindAddress(),
            options.xdsPort(),
            kubernetes ? admission : planner,
            new SignallingEvents(proxiesChanged),
            inline ? new InlineModuleBytes(cache) : ModuleBytes.REMOTE,
            trust.xds());
    // A Gateway's class decides which GatewayClass plugins its proxies run, and status counts.
    gatewaysChanged.subscribe(xds::replanAll);
    gatewaysChanged.subscribe(proxiesChanged::fire);
    this.fetchers =
        Executors.newFixedThreadPool(FETCH_THREADS, DaemonThreads.named("module-fetch"));
    HttpTransport transport =
        new HttpTransport(
            TrustBundle.sslContext(options.moduleCaFile()),
            Duration.ofSeconds(30),
            options.fetch().moduleMaxBytes(),
            AddressPolicy.denying(options.fetch().denyCidrs()));
    ChangeSignal modulesChanged = new ChangeSignal();
    ModuleResolutions modules =
        new ModuleResolutions(
            cache,
            new HttpModuleFetcher(transport),
            new OciModuleFetcher(transport, Set.copyOf(options.insecureRegistries())),
            new FetchScheduler(fetchers, retries),
            modulesChanged::fire);
    this.controlPlane = new ControlPlane(planner, modules, xds);
    modulesChanged.subscribe(controlPlane::refresh);
    this.mode =
        kubernetes
            ? new KubernetesMode(
                kube, client, gateways, controlPlane, xds, admission, proxiesChanged)
            : new DirectoryMode(options.configDir(), controlPlane::apply);
    this.http =
        new HttpEndpoints(
            options.bindAddress(),
            options.httpPort(),
            controlPlane,
            xds,
            inline ? null : new ModuleHandler(cache, trust.modules(), xds::plannedFor, xds),
            mode::metrics);
  }

  /** Fires {@code changed} whenever a proxy connects, leaves or answers, for status. */
  private record SignallingEvents(ChangeSignal changed) implements XdsEvents {
    @Override
    public void connected(ProxySession session) {
      changed.fire();
    }

    @Override
    public void disconnected(ProxySession session) {
      changed.fire();
    }

    @Override
    public void answered(ProxySession session, String typeUrl, boolean accepted) {
      changed.fire();
    }
  }

  /** Starts serving; the returned operator runs until {@link #close()}. */
  public static WasmplaneOperator start(CliOptions options) {
    WasmplaneOperator operator = new WasmplaneOperator(options);
    operator.http.start();
    operator.mode.start();
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
    mode.close();
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
