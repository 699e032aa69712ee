package io.wasmplane.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * Writes one stream's responses with fresh nonces, and only while gRPC's transport is ready: a
 * proxy that does not read cannot make the server buffer more than one response. When the transport
 * drains, the stream is asked to push its latest state. Not thread-safe; its stream guards it.
 */
final class ResponseWriter {
  private final StreamObserver<DiscoveryResponse> out;
  private long nonces;
  private boolean waiting;

  ResponseWriter(StreamObserver<DiscoveryResponse> out, Runnable onDrained) {
    this.out = out;
    if (out instanceof ServerCallStreamObserver<DiscoveryResponse> call) {
      call.setOnReadyHandler(onDrained);
    }
  }

  /** Whether a response may be written now; if not, the next drain asks for a push. */
  boolean ready() {
    if (out instanceof ServerCallStreamObserver<DiscoveryResponse> call && !call.isReady()) {
      waiting = true;
      return false;
    }
    return true;
  }

  /** Whether a push was held back since the last call. */
  boolean takeWaiting() {
    boolean was = waiting;
    waiting = false;
    return was;
  }

  /** Writes a response and returns its nonce. */
  long send(String version, String type, List<Any> resources) {
    long nonce = ++nonces;
    out.onNext(
        DiscoveryResponse.newBuilder()
            .setVersionInfo(version)
            .setTypeUrl(type)
            .addAllResources(resources)
            .setNonce(Long.toString(nonce))
            .build());
    return nonce;
  }

  StreamObserver<DiscoveryResponse> out() {
    return out;
  }
}
