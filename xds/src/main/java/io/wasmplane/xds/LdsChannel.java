package io.wasmplane.xds;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LDS half of one ADS stream: every listener goes in one response, and a request whose nonce is
 * not the last one sent is stale. Not thread-safe; the stream serializes calls.
 */
final class LdsChannel {
  private static final Logger LOG = LoggerFactory.getLogger(LdsChannel.class);

  private String version;
  private long nonce;
  private boolean subscribed;

  /** Takes the proxy's LDS request: a subscription, an ACK or a NACK of the last response. */
  void requested(DiscoveryRequest request, ProxySession session, XdsEvents events) {
    subscribed = true;
    if (parseNonce(request.getResponseNonce()) != nonce) {
      return;
    }
    String node = session.identity().nodeId();
    if (request.hasErrorDetail()) {
      String message = NackText.cap(request.getErrorDetail().getMessage());
      LOG.warn("proxy {} rejected LDS version {}: {}", node, version, message);
      session.nacked(TypeUrls.LISTENER, version, message, Map.of());
      events.answered(session, TypeUrls.LISTENER, false);
    } else {
      session.acked(TypeUrls.LISTENER, version, Map.of());
      events.answered(session, TypeUrls.LISTENER, true);
    }
  }

  /**
   * Sends the snapshot's listeners if the proxy subscribed and they changed. Says false when they
   * must go but the transport is not ready.
   */
  boolean push(ProxySnapshot snapshot, ResponseWriter out, String node) {
    if (!subscribed || snapshot.listenersVersion().equals(version)) {
      return true;
    }
    if (!out.ready()) {
      return false;
    }
    version = snapshot.listenersVersion();
    nonce = out.send(version, TypeUrls.LISTENER, snapshot.listeners());
    LOG.debug("sent LDS version {} to {}", version, node);
    return true;
  }

  /** A response nonce as sent, or -1 for one this server never sent. */
  static long parseNonce(String nonce) {
    try {
      return Long.parseLong(nonce);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
