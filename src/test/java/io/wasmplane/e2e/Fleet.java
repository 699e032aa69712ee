package io.wasmplane.e2e;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.BuildVersion;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.v3.SemanticVersion;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * N simulated proxies in namespace {@code fleet}, their ADS streams spread over a few gRPC
 * channels, and the waits until all of them run a {@link FleetGoal}.
 */
final class Fleet implements AutoCloseable {
  private static final int CHANNELS = 16;

  private final List<FleetProxy> proxies = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final ExecutorService callbacks = Executors.newFixedThreadPool(4);
  private final FleetCodeFetcher fetcher;
  private final AtomicReference<String> failure = new AtomicReference<>();

  Fleet(int size, FleetCodeFetcher fetcher, FleetModules modules) {
    this.fetcher = fetcher;
    for (int i = 0; i < size; i++) {
      proxies.add(new FleetProxy(node(i), fetcher, modules::inlineSha, this::failed));
    }
  }

  /**
   * Connects the channels to {@code xdsPort}, aims every proxy at {@code goal}, starts it, and
   * opens every stream.
   */
  void connect(int xdsPort, FleetGoal goal) throws IOException, InterruptedException {
    warmUp();
    for (int i = 0; i < CHANNELS; i++) {
      channels.add(
          ManagedChannelBuilder.forAddress("127.0.0.1", xdsPort)
              .usePlaintext()
              .executor(callbacks)
              .maxInboundMessageSize(256 * 1024 * 1024)
              .build());
    }
    for (ManagedChannel channel : channels) {
      org.awaitility.Awaitility.await("gRPC channel to 127.0.0.1:" + xdsPort + " ready")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> channel.getState(true) == ConnectivityState.READY);
    }
    proxies.forEach(proxy -> proxy.aim(goal));
    goal.start();
    for (int i = 0; i < proxies.size(); i++) {
      proxies.get(i).connect(channels.get(i % CHANNELS));
    }
  }

  /** Loads what the proxies use before the clock starts: protobuf classes, the HTTP client. */
  private void warmUp() throws IOException, InterruptedException {
    Any hcm = Any.pack(HttpConnectionManager.getDefaultInstance());
    FleetListeners.ecdsNames(
        List.of(
            Any.pack(
                Listener.newBuilder()
                    .addFilterChains(
                        FilterChain.newBuilder()
                            .addFilters(Filter.newBuilder().setTypedConfig(hcm)))
                    .build())));
    FleetExtension.read(
        Any.pack(
            TypedExtensionConfig.newBuilder()
                .setTypedConfig(Any.pack(Wasm.getDefaultInstance()))
                .build()),
        code -> "");
    fetcher.warmUp();
  }

  /** Aims every proxy at {@code goal} (its start is for the caller to mark). */
  void aim(FleetGoal goal) {
    proxies.forEach(proxy -> proxy.aim(goal));
  }

  /** Waits until every proxy runs {@code goal}; fails with the fleet's state after the timeout. */
  void await(FleetGoal goal, Duration timeout, FleetControlPlane controlPlane) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!goal.await(500)) {
      controlPlane.checkAlive();
      if (failure.get() != null) {
        throw new AssertionError("a simulated proxy failed: " + failure.get());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(stuck(goal, timeout, controlPlane));
      }
    }
  }

  /** Waits until no proxy has received anything for a second, at most 15 s. */
  void settle() {
    long[] last = {totalBytes()};
    try {
      org.awaitility.Awaitility.await("fleet quiet")
          .atMost(Duration.ofSeconds(15))
          .pollDelay(Duration.ofSeconds(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                long now = totalBytes();
                boolean quiet = now == last[0];
                last[0] = now;
                return quiet;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // still busy after 15 s: measure anyway
    }
  }

  /** Each proxy's milliseconds from the current goal's start until it ran it. */
  long[] millisToGoal() {
    return proxies.stream().mapToLong(FleetProxy::millisToGoal).toArray();
  }

  /** Each proxy's bytes received since the current goal was set. */
  long[] bytesSinceAim() {
    return proxies.stream().mapToLong(FleetProxy::bytesSinceAim).toArray();
  }

  /** Fleet-wide downloads, NACKs, bypassed filters, duplicate fetches and identical resends. */
  long[] counters() {
    long[] sum = new long[5];
    for (FleetProxy proxy : proxies) {
      long[] counters = proxy.counters();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += counters[i];
      }
    }
    return sum;
  }

  private long totalBytes() {
    return proxies.stream().mapToLong(FleetProxy::bytes).sum();
  }

  private void failed(String message) {
    failure.compareAndSet(null, message);
  }

  private String stuck(FleetGoal goal, Duration timeout, FleetControlPlane controlPlane) {
    long[] counters = counters();
    String example =
        proxies.stream()
            .filter(proxy -> proxy.millisToGoal() < 0)
            .findFirst()
            .map(FleetProxy::describe)
            .orElse("");
    return ("after %s only %d of %d proxies run %s; downloads %d, failed fetches %d (%s), NACKs %d,"
            + " bypassed filters %d, identical resends ignored %d; e.g. %s%n%s")
        .formatted(
            timeout,
            goal.reachedCount(),
            proxies.size(),
            goal,
            counters[0],
            fetcher.failures(),
            fetcher.lastFailure(),
            counters[1],
            counters[2],
            counters[4],
            example,
            controlPlane.logTail(30));
  }

  /** The node of proxy {@code i}, with the metadata of the proxy contract. */
  static Node node(int i) {
    Struct listener =
        Struct.newBuilder()
            .putFields("name", text("inbound-http"))
            .putFields("port", Value.newBuilder().setNumberValue(15006).build())
            .putFields("direction", text("INBOUND"))
            .putFields("targetPort", Value.newBuilder().setNumberValue(8080).build())
            .putFields("protocol", text("HTTP"))
            .putFields("cluster", text("app"))
            .build();
    Struct metadata =
        Struct.newBuilder()
            .putFields("NAMESPACE", text("fleet"))
            .putFields(
                "LABELS",
                Value.newBuilder()
                    .setStructValue(Struct.newBuilder().putFields("app", text("fleet")))
                    .build())
            .putFields(
                "LISTENERS",
                Value.newBuilder()
                    .setListValue(
                        ListValue.newBuilder()
                            .addValues(Value.newBuilder().setStructValue(listener)))
                    .build())
            .build();
    return Node.newBuilder()
        .setId("proxy-" + i + ".fleet")
        .setCluster("fleet")
        .setUserAgentName("envoy")
        .setUserAgentBuildVersion(
            BuildVersion.newBuilder()
                .setVersion(SemanticVersion.newBuilder().setMajorNumber(1).setMinorNumber(40)))
        .setMetadata(metadata)
        .build();
  }

  private static Value text(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  @Override
  public void close() throws InterruptedException {
    proxies.forEach(FleetProxy::close);
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(10, TimeUnit.SECONDS);
    }
    callbacks.shutdownNow();
  }
}
