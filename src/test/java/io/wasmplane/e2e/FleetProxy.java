package io.wasmplane.e2e;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One simulated Envoy 1.40 on a state-of-the-world ADS stream: LDS, then ECDS for the filters its
 * listeners name, with Envoy's process-wide remote-code cache keyed by sha256 (DESIGN.md,
 * "Delivery"): a cache miss NACKs and fetches in the background when {@code
 * nack_on_code_cache_miss} is set, fetches while the listener warms on a first delivery, and is
 * otherwise bypassed; a resend identical to the last one received is ACKed and not applied.
 */
final class FleetProxy implements StreamObserver<DiscoveryResponse> {
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String ECDS = "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";

  private final Node node;
  private final FleetCodeFetcher fetcher;
  private final Function<ByteString, String> inlineSha;
  private final Consumer<String> onFailure;
  private final Set<String> codeCache = new HashSet<>();
  private final Set<String> fetching = new HashSet<>();
  private final Map<String, FleetExtension> running = new HashMap<>();
  private final Set<String> bypassed = new HashSet<>();
  private final Map<String, Long> lastReceived = new HashMap<>();
  private StreamObserver<DiscoveryRequest> requests;
  private List<String> subscribed = List.of();
  private String ecdsVersion = "";
  private String ecdsNonce = "";
  private long bytes;
  private long downloads;
  private long nacks;
  private long bypasses;
  private long fetchesWhileFetching;
  private long identicalResends;
  private FleetGoal goal;
  private long goalBytes;
  private long reachedNanos = -1;
  private boolean closed;

  FleetProxy(
      Node node,
      FleetCodeFetcher fetcher,
      Function<ByteString, String> inlineSha,
      Consumer<String> onFailure) {
    this.node = node;
    this.fetcher = fetcher;
    this.inlineSha = inlineSha;
    this.onFailure = onFailure;
  }

  /** Opens the ADS stream and asks for listeners, as a fresh Envoy does. */
  synchronized void connect(Channel channel) {
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
    send(LDS, "", "", List.of(), null);
  }

  /** Starts timing {@code next}: from now on the proxy records when it runs it. */
  synchronized void aim(FleetGoal next) {
    goal = next;
    goalBytes = bytes;
    reachedNanos = -1;
    check();
  }

  /** Milliseconds from the goal's start until this proxy ran it, -1 if it has not. */
  synchronized long millisToGoal() {
    return reachedNanos < 0 ? -1 : Math.max(0, (reachedNanos - goal.startNanos()) / 1_000_000);
  }

  /** Bytes received since the current goal was set. */
  synchronized long bytesSinceAim() {
    return bytes - goalBytes;
  }

  synchronized long bytes() {
    return bytes;
  }

  /** Counters for the report: downloads, NACKs, bypassed filters, duplicate fetches, resends. */
  synchronized long[] counters() {
    return new long[] {downloads, nacks, bypasses, fetchesWhileFetching, identicalResends};
  }

  @Override
  public synchronized void onNext(DiscoveryResponse response) {
    if (closed) {
      return;
    }
    bytes += response.getSerializedSize();
    try {
      if (response.getTypeUrl().equals(LDS)) {
        onListeners(response);
      } else if (response.getTypeUrl().equals(ECDS)) {
        onExtensions(response);
      }
    } catch (InvalidProtocolBufferException e) {
      fail("cannot read a " + response.getTypeUrl() + " response: " + e.getMessage());
    }
    check();
  }

  private void onListeners(DiscoveryResponse response) throws InvalidProtocolBufferException {
    List<String> names = List.copyOf(FleetListeners.ecdsNames(response.getResourcesList()));
    send(LDS, response.getVersionInfo(), response.getNonce(), List.of(), null);
    if (!names.equals(subscribed)) {
      subscribed = names;
      running.keySet().retainAll(names);
      lastReceived.keySet().retainAll(names);
      send(ECDS, ecdsVersion, ecdsNonce, subscribed, null);
    }
  }

  private void onExtensions(DiscoveryResponse response) throws InvalidProtocolBufferException {
    String rejected = null;
    for (Any resource : response.getResourcesList()) {
      FleetExtension extension = FleetExtension.read(resource, inlineSha);
      if (!subscribed.contains(extension.name())) {
        continue;
      }
      ByteString value = resource.getValue();
      long fingerprint = ((long) value.size() << 32) | (value.hashCode() & 0xffffffffL);
      Long previous = lastReceived.put(extension.name(), fingerprint);
      if (previous != null && previous == fingerprint) {
        identicalResends++;
        continue;
      }
      if (!accept(extension) && rejected == null) {
        rejected = (extension.http() ? "HTTP" : "network") + " filter " + extension.name();
      }
    }
    ecdsNonce = response.getNonce();
    if (rejected != null) {
      nacks++;
      send(ECDS, ecdsVersion, ecdsNonce, subscribed, "Unable to create Wasm " + rejected);
    } else {
      ecdsVersion = response.getVersionInfo();
      send(ECDS, ecdsVersion, ecdsNonce, subscribed, null);
    }
  }

  /** Applies {@code extension} if Envoy would; false if Envoy would reject the response. */
  private boolean accept(FleetExtension extension) {
    String name = extension.name();
    if (extension.code() != FleetExtension.Code.REMOTE || codeCache.contains(extension.sha256())) {
      apply(extension, false);
      return true;
    }
    if (extension.nackOnMiss()) {
      fetch(extension);
      return false;
    }
    if (!running.containsKey(name)) {
      fetch(extension);
      apply(extension, false);
      return true;
    }
    bypasses++;
    apply(extension, true);
    return true;
  }

  private void apply(FleetExtension extension, boolean bypass) {
    running.put(extension.name(), extension);
    if (bypass) {
      bypassed.add(extension.name());
    } else {
      bypassed.remove(extension.name());
    }
  }

  private void fetch(FleetExtension extension) {
    if (fetching.add(extension.sha256())) {
      fetcher.fetch(this, extension.uri(), extension.sha256());
    } else {
      fetchesWhileFetching++;
    }
  }

  /** A fetch finished: the code is in the cache. */
  synchronized void fetched(String sha256, long length) {
    fetching.remove(sha256);
    codeCache.add(sha256);
    bytes += length;
    downloads++;
    check();
  }

  synchronized void fetchFailed(String sha256) {
    fetching.remove(sha256);
  }

  private void check() {
    if (goal == null || reachedNanos >= 0 || subscribed.isEmpty()) {
      return;
    }
    List<FleetExtension> ready = new ArrayList<>();
    for (String name : subscribed) {
      FleetExtension extension = running.get(name);
      if (extension == null
          || bypassed.contains(name)
          || (extension.code() == FleetExtension.Code.REMOTE
              && !codeCache.contains(extension.sha256()))) {
        return;
      }
      ready.add(extension);
    }
    if (goal.metBy(ready)) {
      reachedNanos = System.nanoTime();
      goal.reached();
    }
  }

  private void send(String type, String version, String nonce, List<String> names, String error) {
    DiscoveryRequest.Builder request =
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(type)
            .setVersionInfo(version)
            .setResponseNonce(nonce)
            .addAllResourceNames(names);
    if (error != null) {
      request.setErrorDetail(com.google.rpc.Status.newBuilder().setCode(13).setMessage(error));
    }
    requests.onNext(request.build());
  }

  @Override
  public synchronized void onError(Throwable t) {
    fail("stream failed: " + Status.fromThrowable(t));
  }

  @Override
  public synchronized void onCompleted() {
    fail("the control plane closed the stream");
  }

  private void fail(String message) {
    if (!closed) {
      closed = true;
      onFailure.accept(node.getId() + ": " + message);
    }
  }

  /** Ends the stream. */
  synchronized void close() {
    if (!closed && requests != null) {
      closed = true;
      try {
        requests.onCompleted();
      } catch (RuntimeException e) {
        // the call already ended
      }
    }
  }

  /** The proxy's state, for a timeout message. */
  synchronized String describe() {
    StringBuilder out = new StringBuilder(node.getId()).append(": ECDS ").append(subscribed);
    out.append(" accepted version '").append(ecdsVersion).append("'");
    for (String name : subscribed) {
      FleetExtension extension = running.get(name);
      out.append("\n  ").append(name).append(": ");
      if (extension == null) {
        out.append("nothing accepted");
        continue;
      }
      out.append(extension.wasm() ? extension.code() + " " + extension.sha256() : "stand-in");
      out.append(extension.nackOnMiss() ? " nack_on_code_cache_miss" : "");
      out.append(" config ").append(extension.configuration());
      out.append(bypassed.contains(name) ? " BYPASSED" : "");
      out.append(codeCache.contains(extension.sha256()) ? " (cached)" : "");
    }
    return out.append("\n  fetching ").append(fetching).toString();
  }
}
