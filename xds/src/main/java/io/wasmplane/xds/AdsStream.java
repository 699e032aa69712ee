package io.wasmplane.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One state-of-the-world ADS stream, carrying LDS and ECDS for one proxy.
 *
 * <p>LDS goes as one response with every listener; a request whose nonce is not the last one sent
 * is stale. ECDS goes as one response per changed resource, which state of the world allows for
 * named resources: only what changed travels, and each ACK or NACK belongs to exactly one plugin.
 * Which version of a plugin is sent is {@link DeliveryRule}'s decision. Nothing is written while
 * the transport is not ready; the latest state is sent once it is, so a slow proxy never makes the
 * server buffer more than one response.
 */
final class AdsStream implements StreamObserver<DiscoveryRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(AdsStream.class);
  private static final long NOT_READY_RETRY_MS = 500;

  private final XdsServer server;
  private final ProxyCaller caller;
  private final ResponseWriter out;
  private final EcdsLedger ecds = new EcdsLedger();
  private Set<String> ecdsNames;
  private final LdsChannel lds = new LdsChannel();
  private boolean reconnected;
  private ProxySession session;
  private boolean closed;
  private java.util.concurrent.ScheduledFuture<?> expiry;

  AdsStream(XdsServer server, ProxyCaller caller, StreamObserver<DiscoveryResponse> out) {
    this.server = server;
    this.caller = caller;
    this.out = new ResponseWriter(out, this::onReady);
  }

  @Override
  public synchronized void onNext(DiscoveryRequest request) {
    if (closed) {
      return;
    }
    String node = request.getNode().getId();
    if (session == null) {
      String refusal = caller.refusal(node);
      if (refusal != null) {
        refuse(node, new InvalidNodeException(Status.Code.PERMISSION_DENIED, refusal));
        return;
      }
      try {
        session = server.open(NodeParser.parse(request.getNode()), caller, this);
      } catch (InvalidNodeException e) {
        refuse(node, e);
        return;
      }
      // Envoy's first request after a reconnect carries the version it last accepted.
      reconnected = !request.getVersionInfo().isEmpty();
    } else if (!node.isEmpty() && !node.equals(nodeId())) {
      refuse(
          node,
          new InvalidNodeException(
              Status.Code.PERMISSION_DENIED,
              "node.id changed from " + nodeId() + " to " + node + " on one stream"));
      return;
    }
    String type = request.getTypeUrl();
    if (type.equals(TypeUrls.LISTENER)) {
      lds.requested(request, session, server.events());
    } else if (type.equals(TypeUrls.EXTENSION_CONFIG)) {
      onEcds(request);
    } else {
      LOG.debug("proxy {} asked for unserved type {}", nodeId(), type);
      return;
    }
    push();
  }

  private void refuse(String node, InvalidNodeException e) {
    LOG.warn("refused proxy {}: {}", node, e.getMessage());
    close();
    out.out()
        .onError(Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException());
  }

  /**
   * Ends the stream because the credentials it was opened with expire: the proxy reconnects with
   * the ones it holds now.
   */
  synchronized void credentialsExpired() {
    if (!closed) {
      LOG.info("closing the stream of {}: its credentials expire", nodeId());
      close();
      out.out()
          .onError(
              Status.UNAVAILABLE
                  .withDescription("credentials expire; reconnect with current ones")
                  .asRuntimeException());
    }
  }

  private void onEcds(DiscoveryRequest request) {
    ecdsNames = Set.copyOf(request.getResourceNamesList());
    ecds.subscribed(ecdsNames, reconnected);
    long nonce = LdsChannel.parseNonce(request.getResponseNonce());
    EcdsLedger.Sent sent = ecds.answered(nonce);
    if (sent == null) {
      return;
    }
    for (EcdsLedger.Sent skipped : ecds.skippedBefore(nonce)) {
      EcdsDelivery delivery = ecds.current(skipped);
      if (delivery != null) {
        scheduleResend(skipped.name(), delivery, delivery.unanswered());
      }
    }
    EcdsDelivery delivery = ecds.current(sent);
    boolean current = delivery != null;
    if (!request.hasErrorDetail()) {
      if (!ecds.standsIn(sent.name(), sent.version())) {
        session.acked(
            TypeUrls.EXTENSION_CONFIG, sent.version(), Map.of(sent.name(), sent.version()));
      }
      ecds.accepted(sent.name());
      if (current) {
        delivery.state = EcdsDelivery.State.ACKED;
        delivery.cancelRetry();
        ecds.loaded(delivery.digest);
      }
      server.events().answered(session, TypeUrls.EXTENSION_CONFIG, true);
      return;
    }
    if (!current) {
      return;
    }
    String message = NackText.cap(request.getErrorDetail().getMessage());
    if (delivery.isCacheMiss(message)) {
      LOG.debug("proxy {} is fetching module {} for {}", nodeId(), delivery.digest, sent.name());
      scheduleResend(sent.name(), delivery, delivery.missed());
      return;
    }
    delivery.state = EcdsDelivery.State.REJECTED;
    ecds.refused(sent.name(), sent.version());
    LOG.warn("proxy {} rejected {} version {}: {}", nodeId(), sent.name(), sent.version(), message);
    session.nacked(
        TypeUrls.EXTENSION_CONFIG, sent.version(), message, Map.of(sent.name(), sent.version()));
    server.events().answered(session, TypeUrls.EXTENSION_CONFIG, false);
  }

  /** Sends whatever changed in the session's current snapshot, as far as the transport allows. */
  synchronized void push() {
    if (closed || session == null) {
      return;
    }
    ProxySnapshot snapshot = session.snapshot();
    if (!lds.push(snapshot, out, nodeId())) {
      return;
    }
    if (ecdsNames == null) {
      return;
    }
    for (String name : new TreeSet<>(ecdsNames)) {
      ExtensionOffer offer = snapshot.offer(name);
      EcdsDelivery last = ecds.get(name);
      WasmExtension chosen =
          offer == null ? null : DeliveryRule.choose(offer, reconnected, last != null);
      if (chosen == null) {
        continue;
      }
      chosen = ecds.orStandIn(name, chosen, snapshot);
      String version = snapshot.version(chosen);
      String digest = snapshot.remoteDigest(chosen);
      if (last != null && (last.version.equals(version) || last.fetches(digest))) {
        continue;
      }
      if (ecds.awaitsFirstLoad(name, digest)) {
        continue;
      }
      if (!out.ready()) {
        return;
      }
      if (last != null) {
        last.cancelRetry();
      }
      EcdsDelivery delivery = new EcdsDelivery(version, digest);
      sendEcds(snapshot, name, chosen, delivery);
    }
  }

  private void sendEcds(
      ProxySnapshot snapshot, String name, WasmExtension chosen, EcdsDelivery delivery) {
    Any resource = snapshot.resource(chosen, new RemoteFetch(nodeId(), delivery.attempt));
    String version =
        delivery.attempt == 1 ? delivery.version : delivery.version + "." + delivery.attempt;
    long nonce = out.send(version, TypeUrls.EXTENSION_CONFIG, List.of(resource));
    delivery.state = EcdsDelivery.State.SENT;
    ecds.sent(nonce, name, delivery);
    LOG.debug("sent ECDS {} version {} to {}", name, version, nodeId());
  }

  /**
   * The proxy's download of module {@code sha256} started, finished or broke off. What waits on it
   * goes out again once it finished, and not while it runs.
   */
  synchronized void download(String sha256, EcdsDelivery.Download event) {
    ecds.download(sha256, event)
        .forEach((name, wait) -> scheduleResend(name, ecds.get(name), wait));
  }

  private void scheduleResend(String name, EcdsDelivery delivery, long delayMs) {
    delivery.cancelRetry();
    delivery.retry =
        server.timers().schedule(() -> resend(name, delivery), delayMs, TimeUnit.MILLISECONDS);
  }

  /** Sends {@code name} again, different in bytes, if it still waits on a module. */
  private synchronized void resend(String name, EcdsDelivery delivery) {
    if (closed || ecds.get(name) != delivery || delivery.state != EcdsDelivery.State.LOADING) {
      return;
    }
    delivery.retry = null;
    if (!delivery.downloaded && !delivery.downloading && server.downloadsRunning()) {
      // The proxy's request may wait behind the downloads this replica is sending.
      scheduleResend(name, delivery, delivery.unseenDownloadWait());
      return;
    }
    ProxySnapshot snapshot = session.snapshot();
    ExtensionOffer offer = snapshot.offer(name);
    WasmExtension chosen = offer == null ? null : DeliveryRule.choose(offer, reconnected, true);
    chosen = chosen == null ? null : ecds.orStandIn(name, chosen, snapshot);
    if (chosen == null || !delivery.version.equals(snapshot.version(chosen))) {
      // The plan moved on meanwhile; the newest version goes out as a fresh send.
      delivery.state = EcdsDelivery.State.REJECTED;
      push();
      return;
    }
    if (!out.ready()) {
      scheduleResend(name, delivery, NOT_READY_RETRY_MS);
      return;
    }
    delivery.attempt++;
    sendEcds(snapshot, name, chosen, delivery);
  }

  private void onReady() {
    synchronized (this) {
      if (!out.takeWaiting()) {
        return;
      }
    }
    push();
  }

  private String nodeId() {
    return session.identity().nodeId();
  }

  @Override
  public void onError(Throwable t) {
    close();
  }

  @Override
  public void onCompleted() {
    close();
    synchronized (this) {
      out.out().onCompleted();
    }
  }

  /** When the stream's credentials expire, it closes; {@link #close()} cancels that. */
  synchronized void expiry(java.util.concurrent.ScheduledFuture<?> when) {
    this.expiry = when;
  }

  /** Whether module {@code sha256} is in this stream's current plan. */
  synchronized boolean plans(String sha256) {
    return session != null && session.snapshot().servedDigests().contains(sha256);
  }

  private synchronized void close() {
    if (!closed) {
      closed = true;
      if (expiry != null) {
        expiry.cancel(false);
      }
      ecds.cancelAll();
      if (session != null) {
        server.close(session, this);
      }
    }
  }
}
