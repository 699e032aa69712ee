package io.wasmplane.xds;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC ADS service: one {@link AdsStream} per state-of-the-world stream, opened as the caller
 * the {@link AuthInterceptor} authenticated; delta ADS is refused with a message saying what to
 * configure instead.
 */
final class AdsService extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
  private final XdsServer server;

  AdsService(XdsServer server) {
    this.server = server;
  }

  @Override
  public StreamObserver<DiscoveryRequest> streamAggregatedResources(
      StreamObserver<DiscoveryResponse> responseObserver) {
    ProxyCaller caller = AuthInterceptor.CALLER.get();
    return new AdsStream(server, caller == null ? ProxyCaller.ANONYMOUS : caller, responseObserver);
  }

  @Override
  public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
      StreamObserver<DeltaDiscoveryResponse> responseObserver) {
    responseObserver.onError(
        Status.UNIMPLEMENTED
            .withDescription(
                "Wasmplane serves state-of-the-world ADS; set ads_config.api_type to GRPC")
            .asRuntimeException());
    return new StreamObserver<>() {
      @Override
      public void onNext(DeltaDiscoveryRequest value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }
}
