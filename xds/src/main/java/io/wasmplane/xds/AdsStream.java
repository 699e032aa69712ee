package io.wasmplane.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One state-of-the-world ADS stream, carrying LDS and ECDS for one proxy.
 *
 * <p>Per type it remembers what it last sent (version, nonce, names). A request whose nonce is not
 * the last one sent is stale and ignored; otherwise it is an ACK, or a NACK when it carries an
 * error. A response is sent only when the version for the subscribed names differs from what was
 * last sent, so recomputing an unchanged plan sends nothing.
 */
final class AdsStream implements StreamObserver<DiscoveryRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(AdsStream.class);

  private final XdsServer server;
  private final StreamObserver<DiscoveryResponse> out;
  private final Map<String, Sent> sent = new HashMap<>();
  private ProxySession session;
  private boolean closed;
  private long nonces;

  /** What was last sent for one type. */
  private record Sent(
      String version, String nonce, Set<String> names, Map<String, String> resourceVersions) {}

  AdsStream(XdsServer server, StreamObserver<DiscoveryResponse> out) {
    this.server = server;
    this.out = out;
  }

  @Override
  public synchronized void onNext(DiscoveryRequest request) {
    if (closed) {
      return;
    }
    if (session == null) {
      try {
        session = server.open(NodeParser.parse(request.getNode()), this);
      } catch (InvalidNodeException e) {
        LOG.warn("refused proxy {}: {}", request.getNode().getId(), e.getMessage());
        closed = true;
        out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        return;
      }
    }
    String type = request.getTypeUrl();
    if (!type.equals(TypeUrls.LISTENER) && !type.equals(TypeUrls.EXTENSION_CONFIG)) {
      LOG.debug("proxy {} asked for unserved type {}", session.identity().nodeId(), type);
      return;
    }
    Sent last = sent.get(type);
    if (!request.getResponseNonce().isEmpty()) {
      if (last == null || !request.getResponseNonce().equals(last.nonce())) {
        return;
      }
      if (request.hasErrorDetail()) {
        String message = request.getErrorDetail().getMessage();
        LOG.warn(
            "proxy {} rejected {} version {}: {}",
            session.identity().nodeId(),
            shortType(type),
            last.version(),
            message);
        session.nacked(type, last.version(), message, last.resourceVersions());
        server.events().answered(session, type, false);
      } else {
        session.acked(type, request.getVersionInfo(), last.resourceVersions());
        server.events().answered(session, type, true);
      }
    }
    Set<String> names = Set.copyOf(request.getResourceNamesList());
    respond(type, names);
  }

  /** Sends whatever changed in the session's current snapshot. */
  synchronized void push() {
    if (closed || session == null) {
      return;
    }
    for (Map.Entry<String, Sent> entry : new ArrayList<>(sent.entrySet())) {
      respond(entry.getKey(), entry.getValue().names());
    }
  }

  private void respond(String type, Set<String> names) {
    ProxySnapshot snapshot = session.snapshot();
    boolean lds = type.equals(TypeUrls.LISTENER);
    String version = lds ? snapshot.listenersVersion() : snapshot.extensionsVersion(names);
    Sent last = sent.get(type);
    if (last != null && last.version().equals(version) && last.names().equals(names)) {
      return;
    }
    List<Any> resources = lds ? snapshot.listeners() : new ArrayList<>();
    Map<String, String> resourceVersions = new LinkedHashMap<>();
    if (!lds) {
      for (String name : new TreeSet<>(names)) {
        Any resource = snapshot.extension(name);
        if (resource != null) {
          resources.add(resource);
          resourceVersions.put(name, snapshot.extensionVersion(name));
        }
      }
    }
    String nonce = Long.toString(++nonces);
    out.onNext(
        DiscoveryResponse.newBuilder()
            .setVersionInfo(version)
            .setTypeUrl(type)
            .addAllResources(resources)
            .setNonce(nonce)
            .build());
    sent.put(type, new Sent(version, nonce, names, resourceVersions));
    LOG.debug(
        "sent {} version {} ({} resources) to {}",
        shortType(type),
        version,
        resources.size(),
        session.identity().nodeId());
  }

  @Override
  public void onError(Throwable t) {
    close();
  }

  @Override
  public void onCompleted() {
    close();
    synchronized (this) {
      out.onCompleted();
    }
  }

  private synchronized void close() {
    if (!closed) {
      closed = true;
      if (session != null) {
        server.close(session, this);
      }
    }
  }

  private static String shortType(String type) {
    return type.equals(TypeUrls.LISTENER) ? "LDS" : "ECDS";
  }
}
