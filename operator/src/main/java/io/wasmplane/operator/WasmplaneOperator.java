package io.wasmplane.operator;

import io.wasmplane.operator.config.DirectoryConfigSource;
import io.wasmplane.operator.http.HttpEndpoints;
import io.wasmplane.operator.plan.LocalModuleResolver;
import io.wasmplane.operator.plan.PluginPlanner;
import io.wasmplane.operator.resolve.ChainResolver;
import io.wasmplane.xds.XdsEvents;
import io.wasmplane.xds.XdsServer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code wasmplane} process: wires the parts together by hand and runs until stopped. */
public final class WasmplaneOperator implements AutoCloseable {
  private final XdsServer xds;
  private final HttpEndpoints http;
  private final DirectoryConfigSource source;
  private final ControlPlane controlPlane;

  private WasmplaneOperator(CliOptions options) {
    PluginPlanner planner = new PluginPlanner(new ChainResolver(options.rootNamespace()));
    this.xds = new XdsServer(options.bindAddress(), options.xdsPort(), planner, XdsEvents.NONE);
    this.controlPlane = new ControlPlane(planner, new LocalModuleResolver(), xds);
    this.http = new HttpEndpoints(options.bindAddress(), options.httpPort(), controlPlane, xds);
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
