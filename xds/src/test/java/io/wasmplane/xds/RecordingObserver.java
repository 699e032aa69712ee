package io.wasmplane.xds;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/** Records what the server sends on one stream, with a transport that can be made not ready. */
final class RecordingObserver extends ServerCallStreamObserver<DiscoveryResponse> {
  final List<DiscoveryResponse> responses = new ArrayList<>();
  Throwable error;
  boolean ready = true;
  private Runnable onReady = () -> {};

  @Override
  public void onNext(DiscoveryResponse value) {
    responses.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
  }

  @Override
  public void onCompleted() {}

  /** The transport drained: it is ready again and says so. */
  void drain() {
    ready = true;
    onReady.run();
  }

  DiscoveryResponse last() {
    return responses.get(responses.size() - 1);
  }

  @Override
  public boolean isReady() {
    return ready;
  }

  @Override
  public void setOnReadyHandler(Runnable handler) {
    onReady = handler;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public void setOnCancelHandler(Runnable handler) {}

  @Override
  public void setCompression(String compression) {}

  @Override
  public void disableAutoInboundFlowControl() {}

  @Override
  public void request(int count) {}

  @Override
  public void setMessageCompression(boolean enable) {}
}
