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
  private final Set<String> held = new HashSet<>();
  private final Map<String, String> refusedEmpty = new HashMap<>();
  private final Map<String, String> standsIn = new HashMap<>();
  private Set<String> inherited;

  /** A response not yet answered, carrying one resource. */
  record Sent(String name, String version, int attempt) {}

  /**
   * Forgets the resources the proxy no longer subscribes to. The first names a reconnected proxy
   * asks for are inherited: it may hold versions of them from its earlier stream.
   */
  void subscribed(Set<String> names, boolean reconnected) {
    if (inherited == null) {
      inherited = reconnected ? Set.copyOf(names) : Set.of();
    }
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

  /**
   * The proxy accepted a version of {@code name}: it holds one from now on, whatever it refuses.
   */
  void accepted(String name) {
    held.add(name);
  }

  /**
   * The proxy refused {@code version} of {@code name}. If it holds no version of it, the filter's
   * slot in its listener is empty, and Envoy answers 500 for the whole listener.
   */
  void refused(String name, String version) {
    if (!held.contains(name) && !inherited.contains(name)) {
      refusedEmpty.put(name, version);
    }
  }

  /**
   * What goes out for {@code name} in place of {@code chosen} (non-null): the filter's {@code
   * failStrategy} stand-in when the proxy refused exactly this version while holding none, else
   * {@code chosen}.
   */
  WasmExtension orStandIn(String name, WasmExtension chosen, ProxySnapshot snapshot) {
    String refused = refusedEmpty.get(name);
    if (refused != null
        && chosen instanceof WasmFilter filter
        && refused.equals(snapshot.version(filter))) {
      StandInFilter standIn = StandInFilter.of(filter);
      standsIn.put(name, snapshot.version(standIn));
      return standIn;
    }
    return chosen;
  }

  /**
   * Whether {@code version} of {@code name} is a stand-in for a refused version: its ACK does not
   * undo the refusal, which status keeps showing.
   */
  boolean standsIn(String name, String version) {
    return version.equals(standsIn.get(name));
  }

  /**
   * Tells the deliveries waiting on module {@code sha256} what its download did; returns, by
   * resource name, how long to wait before each of them goes out again.
   */
  Map<String, Long> download(String sha256, EcdsDelivery.Download event) {
    Map<String, Long> resends = new HashMap<>();
    deliveries.forEach(
        (name, delivery) -> {
          if (sha256.equals(delivery.digest) && !delivery.downloaded) {
            long wait = delivery.download(event);
            if (wait >= 0) {
              resends.put(name, wait);
            }
          }
        });
    return resends;
  }

  void cancelAll() {
    deliveries.values().forEach(EcdsDelivery::cancelRetry);
  }
}
