package io.wasmplane.xds;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one stream sent of ECDS and what the proxy answered: the delivery of each resource, the
 * responses not yet answered, and the modules the proxy is known to have cached. Not thread-safe;
 * its stream guards it.
 */
final class EcdsLedger {
  private final Map<String, EcdsDelivery> deliveries = new HashMap<>();
  private final Map<Long, Sent> unanswered = new HashMap<>();
  private final Set<String> cachedDigests = new HashSet<>();

  /** A response not yet answered, carrying one resource. */
  record Sent(String name, String version, int attempt) {}

  /** Forgets the resources the proxy no longer subscribes to. */
  void subscribed(Set<String> names) {
    deliveries
        .entrySet()
        .removeIf(
            entry -> {
              boolean gone = !names.contains(entry.getKey());
              if (gone) {
                entry.getValue().cancelRetry();
              }
              return gone;
            });
  }

  EcdsDelivery get(String name) {
    return deliveries.get(name);
  }

  Map<String, EcdsDelivery> deliveries() {
    return deliveries;
  }

  void sent(long nonce, String name, EcdsDelivery delivery) {
    deliveries.put(name, delivery);
    unanswered.put(nonce, new Sent(name, delivery.version, delivery.attempt));
  }

  /** The response {@code nonce} was answered; null if it is unknown or was answered already. */
  Sent answered(long nonce) {
    return unanswered.remove(nonce);
  }

  /**
   * Responses older than {@code nonce} that were never answered. Envoy answers every response, but
   * a request queued behind another carries only the newest nonce, so these may or may not have
   * been applied.
   */
  List<Sent> skippedBefore(long nonce) {
    List<Sent> skipped = new ArrayList<>();
    unanswered
        .entrySet()
        .removeIf(
            entry -> {
              boolean older = entry.getKey() < nonce;
              if (older) {
                skipped.add(entry.getValue());
              }
              return older;
            });
    return skipped;
  }

  /** The delivery that {@code sent} carried, if it is still the current one of its resource. */
  EcdsDelivery current(Sent sent) {
    EcdsDelivery delivery = deliveries.get(sent.name());
    return delivery != null
            && delivery.version.equals(sent.version())
            && delivery.attempt == sent.attempt()
        ? delivery
        : null;
  }

  /** The proxy accepted a resource running module {@code digest}: it has the module cached. */
  void loaded(String digest) {
    if (digest != null) {
      cachedDigests.add(digest);
    }
  }

  /**
   * Whether another resource of this proxy is already loading module {@code digest}: Envoy starts a
   * download for every resource that misses its code cache, so plugins sharing a module go out one
   * after the other until the first one has it cached.
   */
  boolean awaitsFirstLoad(String name, String digest) {
    if (digest == null || cachedDigests.contains(digest)) {
      return false;
    }
    for (Map.Entry<String, EcdsDelivery> entry : deliveries.entrySet()) {
      EcdsDelivery other = entry.getValue();
      if (!entry.getKey().equals(name)
          && digest.equals(other.digest)
          && (other.state == EcdsDelivery.State.SENT
              || other.state == EcdsDelivery.State.LOADING)) {
        return true;
      }
    }
    return false;
  }

  void cancelAll() {
    deliveries.values().forEach(EcdsDelivery::cancelRetry);
  }
}
