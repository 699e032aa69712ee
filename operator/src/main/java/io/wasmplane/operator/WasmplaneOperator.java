package io.wasmplane.operator;

import io.wasmplane.operator.config.DirectoryConfigSource;
import io.wasmplane.operator.http.HttpEndpoints;
import io.wasmplane.operator.module.HttpModuleFetcher;
import io.wasmplane.operator.module.HttpTransport;
import io.wasmplane.operator.module.InlineModuleBytes;
import io.wasmplane.operator.module.ModuleCache;
import io.wasmplane.operator.module.ModuleManager;
import io.wasmplane.operator.module.OciModuleFetcher;
import io.wasmplane.operator.module.TrustBundle;
import io.wasmplane.operator.plan.PluginPlanner;
import io.wasmplane.operator.resolve.ChainResolver;
import io.wasmplane.xds.ModuleHandler;
import io.wasmplane.xds.XdsEvents;
import io.wasmplane.xds.XdsServer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code wasmplane} process: wires the parts together by hand and runs until stopped. */
public final class WasmplaneOperator implements AutoCloseable {
  private final XdsServer xds;
  private final HttpEndpoints http;
  private final DirectoryConfigSource source;
  private final ControlPlane controlPlane;
  private final ScheduledExecutorService fetchers;

  /** Modules larger than this are refused. */
  private static final long MAX_MODULE_BYTES = 256L << 20;

  private WasmplaneOperator(CliOptions options) {
    PluginPlanner planner = new PluginPlanner(new ChainResolver(options.rootNamespace()));
    this.fetchers =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "module-fetch");
              t.setDaemon(true);
              return t;
            });
    ModuleCache cache = new ModuleCache(options.moduleCacheDir(), options.moduleCacheMaxBytes());
    this.xds =
        new XdsServer(
            options.bindAddress(),
            options.xdsPort(),
            planner,
            XdsEvents.NONE,
            options.moduleDelivery().equals("inline")
                ? new InlineModuleBytes(cache)
                : io.wasmplane.xds.ModuleBytes.REMOTE);
    HttpTransport transport =
        new HttpTransport(
            TrustBundle.sslContext(options.moduleCaFile()),
            Duration.ofSeconds(30),
            MAX_MODULE_BYTES,
            3);
    ControlPlane[] self = new ControlPlane[1];
    ModuleManager modules =
        new ModuleManager(
            cache,
            new HttpModuleFetcher(transport),
            new OciModuleFetcher(transport, Set.copyOf(options.insecureRegistries())),
            fetchers,
            () -> self[0].refresh());
    this.controlPlane = new ControlPlane(planner, modules, xds);
    self[0] = controlPlane;
    this.http =
        new HttpEndpoints(
            options.bindAddress(), options.httpPort(), controlPlane, xds, new ModuleHandler(cache));
    this.source = new DirectoryConfigSource(options.configDir(), controlPlane::apply);
  }

  /** Starts serving; the returned operator runs until {@link #close()}. */
  public static WasmplaneOperator start(CliOptions options) {
    WasmplaneOperator operator = new WasmplaneOperator(options);
    operator.xds.start();
    operator.http.start();
    operator.source.start();
    LoggerFactory.getLogger(WasmplaneOperator.class)
        .info(
            "serving xDS on {}:{} and HTTP on {}:{}, config from {}, root namespace {}",
            options.bindAddress(),
            operator.xds.port(),
            options.bindAddress(),
            operator.http.port(),
            options.configDir(),
            options.rootNamespace());
    return operator;
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
    source.close();
    http.close();
    xds.close();
    fetchers.shutdownNow();
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
    if (options.configDir() == null) {
      System.err.println(
          "wasmplane: Kubernetes mode is not available in this build yet; pass --config-dir DIR");
      System.exit(2);
      return;
    }
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
