package io.wasmplane.xds;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded ADS server. Each proxy holds one stream that carries both LDS and ECDS, because
 * every filter reference uses {@code config_source: {ads: {}}}; an ECDS subscription outside ADS
 * would cost each proxy one more stream per plugin.
 */
public final class XdsServer implements AutoCloseable, ModuleDownloads {
  private static final Logger LOG = LoggerFactory.getLogger(XdsServer.class);

  private final ProxyPlanner planner;
  private final XdsEvents events;
  private final SnapshotCache cache;
  private final Map<ProxySession, AdsStream> sessions = new ConcurrentHashMap<>();
  private final Map<String, Set<AdsStream>> byNode = new ConcurrentHashMap<>();
  private final Server server;
  private final int maxStreamsPerNode;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "xds-resend");
            thread.setDaemon(true);
            return thread;
          });
  private volatile Set<String> servedDigests = Set.of();
  private final java.util.concurrent.atomic.AtomicInteger downloadsRunning =
      new java.util.concurrent.atomic.AtomicInteger();

  public XdsServer(String host, int port, ProxyPlanner planner, XdsEvents events) {
    this(host, port, planner, events, ModuleBytes.REMOTE, XdsSecurity.open());
  }

  /**
   * A server that puts module bytes inline in ECDS where {@code modules} has them, secured as
   * {@code security} says.
   */
  public XdsServer(
      String host,
      int port,
      ProxyPlanner planner,
      XdsEvents events,
      ModuleBytes modules,
      XdsSecurity security) {
    this.cache = new SnapshotCache(modules);
    this.planner = planner;
    this.events = events;
    this.maxStreamsPerNode = security.maxStreamsPerNode();
    InetSocketAddress address = new InetSocketAddress(host, port);
    NettyServerBuilder builder =
        security.credentials() == null
            ? NettyServerBuilder.forAddress(address)
            : NettyServerBuilder.forAddress(address, security.credentials());
    if (security.maxConnectionAge() != null) {
      builder
          .maxConnectionAge(security.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
          .maxConnectionAgeGrace(30, TimeUnit.SECONDS);
    }
    this.server =
        builder
            .addService(
                ServerInterceptors.intercept(
                    new AdsService(this), new AuthInterceptor(security.authenticator())))
            // Pings find proxies that vanished without closing their connection.
            .keepAliveTime(60, TimeUnit.SECONDS)
            .keepAliveTimeout(20, TimeUnit.SECONDS)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
  }

  public XdsServer start() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for xDS on port " + port(), e);
    }
    return this;
  }

  public int port() {
    return server.getPort();
  }

  XdsEvents events() {
    return events;
  }

  ScheduledExecutorService timers() {
    return timers;
  }

  /**
   * Whether this replica's module server is sending modules now. While it is, a proxy whose
   * download was not seen to start may be waiting in its queue.
   */
  boolean downloadsRunning() {
    return downloadsRunning.get() > 0;
  }

  /**
   * Whether module {@code sha256} is in some connected proxy's current plan: the module server
   * serves nothing else.
   */
  public boolean planned(String sha256) {
    return servedDigests.contains(sha256);
  }

  /**
   * Whether module {@code sha256} may go to node {@code nodeId}: it must be in that proxy's own
   * plan when the proxy streams from this replica. A proxy streaming from another replica gets only
   * modules that proxies of its namespace here run. A url that names no node (null), which only an
   * unauthenticated server admits, gets any module some proxy here runs.
   */
  public boolean plannedFor(String nodeId, String sha256) {
    String namespace = nodeId == null ? null : NodeParser.namespaceOf(nodeId);
    if (namespace == null) {
      return planned(sha256);
    }
    Set<AdsStream> streams = byNode.get(nodeId);
    if (streams != null && !streams.isEmpty()) {
      return streams.stream().anyMatch(stream -> stream.plans(sha256));
    }
    return sessions.keySet().stream()
        .anyMatch(
            session ->
                session.identity().namespace().equals(namespace)
                    && session.snapshot().servedDigests().contains(sha256));
  }

  @Override
  public void started(String proxy, String sha256) {
    downloadsRunning.incrementAndGet();
    download(proxy, sha256, EcdsDelivery.Download.STARTED);
  }

  @Override
  public void downloaded(String proxy, String sha256) {
    downloadsRunning.decrementAndGet();
    download(proxy, sha256, EcdsDelivery.Download.FINISHED);
  }

  @Override
  public void failed(String proxy, String sha256) {
    downloadsRunning.decrementAndGet();
    download(proxy, sha256, EcdsDelivery.Download.BROKE_OFF);
  }

  private void download(String proxy, String sha256, EcdsDelivery.Download event) {
    byNode.getOrDefault(proxy, Set.of()).forEach(stream -> stream.download(sha256, event));
  }

  /** The connected proxies. */
  public List<ProxySession> sessions() {
    return List.copyOf(sessions.keySet());
  }

  public int distinctSnapshots() {
    return cache.size();
  }

  /** Recomputes every connected proxy's plan and pushes what changed. */
  public void replanAll() {
    replan(identity -> true);
  }

  /** Recomputes the plans of the proxies that {@code which} selects and pushes what changed. */
  public synchronized void replan(Predicate<ProxyIdentity> which) {
    Set<ProxyPlan> inUse = new HashSet<>();
    for (Map.Entry<ProxySession, AdsStream> entry : sessions.entrySet()) {
      ProxySession session = entry.getKey();
      if (which.test(session.identity())) {
        ProxySnapshot next = cache.snapshot(planner.plan(session.identity()));
        LOG.debug(
            "replan {}: lds {} -> {}",
            session.identity().nodeId(),
            session.snapshot().listenersVersion(),
            next.listenersVersion());
        if (next != session.snapshot()) {
          addServed(next.servedDigests());
          session.snapshot(next);
          entry.getValue().push();
        }
      }
      inUse.add(session.snapshot().plan());
    }
    cache.retainOnly(inUse);
    Set<String> digests = new HashSet<>();
    for (ProxySession session : sessions.keySet()) {
      digests.addAll(session.snapshot().servedDigests());
    }
    servedDigests = Set.copyOf(digests);
  }

  /**
   * Replaces a connected proxy's identity (e.g. new Pod labels) and pushes its new plan; a proxy
   * whose identity the change leaves as it is is not replanned. Says whether any proxy changed.
   */
  public boolean reidentify(String nodeId, java.util.function.UnaryOperator<ProxyIdentity> change) {
    boolean changed = false;
    for (ProxySession session : sessions.keySet()) {
      if (session.identity().nodeId().equals(nodeId)) {
        ProxyIdentity next = change.apply(session.identity());
        if (!next.equals(session.identity())) {
          session.identity(next);
          changed = true;
        }
      }
    }
    if (changed) {
      replan(identity -> identity.nodeId().equals(nodeId));
    }
    return changed;
  }

  ProxySession open(ProxyIdentity claimed, ProxyCaller caller, AdsStream stream)
      throws InvalidNodeException {
    if (byNode.getOrDefault(claimed.nodeId(), Set.of()).size() >= maxStreamsPerNode) {
      throw new InvalidNodeException(
          Status.Code.RESOURCE_EXHAUSTED,
          "node " + claimed.nodeId() + " already holds " + maxStreamsPerNode + " ADS streams");
    }
    ProxyIdentity identity = planner.admit(claimed, caller);
    ProxySnapshot first = cache.snapshot(planner.plan(identity));
    ProxySession session = new ProxySession(identity, first);
    sessions.put(session, stream);
    byNode.computeIfAbsent(identity.nodeId(), id -> ConcurrentHashMap.newKeySet()).add(stream);
    // A configuration applied while the first plan was computed did not see this session yet, so
    // plan again now that it is registered. If a replan already replaced the snapshot, it saw the
    // newer configuration and wins; this must not overwrite it with an older plan.
    session.replaceSnapshot(first, cache.snapshot(planner.plan(identity)));
    addServed(session.snapshot().servedDigests());
    LOG.info(
        "proxy {} connected: namespace {}, labels {}, {} listeners",
        identity.nodeId(),
        identity.namespace(),
        identity.labels(),
        identity.listeners().size());
    events.connected(session);
    if (caller.expires() != null) {
      long left = Math.max(0, caller.expires().toEpochMilli() - System.currentTimeMillis());
      stream.expiry(timers.schedule(stream::credentialsExpired, left, TimeUnit.MILLISECONDS));
    }
    return session;
  }

  private synchronized void addServed(Set<String> digests) {
    if (!servedDigests.containsAll(digests)) {
      Set<String> all = new HashSet<>(servedDigests);
      all.addAll(digests);
      servedDigests = Set.copyOf(all);
    }
  }

  void close(ProxySession session, AdsStream stream) {
    byNode.computeIfPresent(
        session.identity().nodeId(),
        (id, streams) -> {
          streams.remove(stream);
          return streams.isEmpty() ? null : streams;
        });
    if (sessions.remove(session, stream)) {
      LOG.info("proxy {} disconnected", session.identity().nodeId());
      events.disconnected(session);
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
  }
}
