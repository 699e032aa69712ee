package io.wasmplane.e2e;

import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One ADS stream opened by hand, as an attacker or a misconfigured proxy would: a node id, an
 * optional bearer token, one LDS request; it records what came back.
 */
final class AdsProbe implements StreamObserver<DiscoveryResponse>, AutoCloseable {
  private final ManagedChannel channel;
  private final List<DiscoveryResponse> responses = new CopyOnWriteArrayList<>();
  private volatile Status status;
  private final StreamObserver<DiscoveryRequest> requests;

  private AdsProbe(
      int port,
      ChannelCredentials credentials,
      String authority,
      String nodeId,
      String namespace,
      String token) {
    channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials)
            .overrideAuthority(authority)
            .build();
    AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub =
        AggregatedDiscoveryServiceGrpc.newStub(channel);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    requests = stub.streamAggregatedResources(this);
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(
                Node.newBuilder()
                    .setId(nodeId)
                    .setMetadata(
                        com.google.protobuf.Struct.newBuilder()
                            .putFields("NAMESPACE", text(namespace))
                            .putFields("LISTENERS", listeners())))
            .setTypeUrl(FleetProxy.LDS)
            .build());
  }

  private static com.google.protobuf.Value text(String value) {
    return com.google.protobuf.Value.newBuilder().setStringValue(value).build();
  }

  /** One inbound HTTP listener, as a sidecar declares. */
  private static com.google.protobuf.Value listeners() {
    com.google.protobuf.Struct.Builder listener = com.google.protobuf.Struct.newBuilder();
    listener.putFields("name", text("http"));
    listener.putFields(
        "port", com.google.protobuf.Value.newBuilder().setNumberValue(15006).build());
    listener.putFields(
        "targetPort", com.google.protobuf.Value.newBuilder().setNumberValue(8080).build());
    listener.putFields("direction", text("INBOUND"));
    listener.putFields("protocol", text("HTTP"));
    listener.putFields("cluster", text("app"));
    return com.google.protobuf.Value.newBuilder()
        .setListValue(
            com.google.protobuf.ListValue.newBuilder()
                .addValues(com.google.protobuf.Value.newBuilder().setStructValue(listener)))
        .build();
  }

  /**
   * Opens a stream over TLS to {@code port} of the operator of {@code ns} as {@code nodeId}, with
   * {@code token} if not null.
   */
  static AdsProbe open(TestNamespace ns, int port, String nodeId, String token) {
    try {
      return new AdsProbe(
          port,
          TlsChannelCredentials.newBuilder().trustManager(ns.xdsCa().toFile()).build(),
          ns.xdsServerName(),
          nodeId,
          ns.name(),
          token);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Opens a stream to {@code port} with {@code credentials}, as {@code nodeId}, with no token. */
  static AdsProbe open(
      int port, ChannelCredentials credentials, String authority, String nodeId, String namespace) {
    return new AdsProbe(port, credentials, authority, nodeId, namespace, null);
  }

  /** Waits until the server ends the stream and returns how. */
  Status awaitRefusal(Duration within) {
    await().atMost(within).until(() -> status != null);
    return status;
  }

  /** Waits until the server sends a response and returns it. */
  DiscoveryResponse awaitResponse(Duration within) {
    await().atMost(within).until(() -> !responses.isEmpty() || status != null);
    if (responses.isEmpty()) {
      throw new AssertionError("stream ended without a response: " + status);
    }
    return responses.get(0);
  }

  /** Waits until the server sends a response of {@code typeUrl} and returns the first. */
  DiscoveryResponse awaitResponse(String typeUrl, Duration within) {
    await()
        .atMost(within)
        .until(
            () ->
                status != null || responses.stream().anyMatch(r -> r.getTypeUrl().equals(typeUrl)));
    return responses.stream()
        .filter(r -> r.getTypeUrl().equals(typeUrl))
        .findFirst()
        .orElseThrow(() -> new AssertionError("stream ended without " + typeUrl + ": " + status));
  }

  /** Sends {@code request} on the stream. */
  synchronized void send(DiscoveryRequest request) {
    requests.onNext(request);
  }

  List<DiscoveryResponse> responses() {
    return responses;
  }

  @Override
  public void onNext(DiscoveryResponse response) {
    responses.add(response);
  }

  @Override
  public void onError(Throwable t) {
    status = Status.fromThrowable(t);
  }

  @Override
  public void onCompleted() {
    status = Status.OK;
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
