package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins how an ADS stream holds its caller to its node: the node it may claim, a node id that
 * changes mid-stream, streams per node, and credentials that expire while the stream is open.
 */
class AdsAuthTest {
  private static final ProxyCaller POD_A = ProxyCaller.pod("ns", "pod-a", "uid-a", null);

  private XdsServer server = server(16);

  @AfterEach
  void close() {
    server.close();
  }

  static XdsServer server(int maxStreamsPerNode) {
    return new XdsServer(
        "127.0.0.1",
        0,
        proxy -> AdsHarness.planWith("{\"v\":1}"),
        XdsEvents.NONE,
        ModuleBytes.REMOTE,
        new XdsSecurity(null, ProxyAuthenticator.NONE, null, maxStreamsPerNode));
  }

  static Node node(String id) {
    return NodeParserTest.node(
        id,
        Map.of(
            "NAMESPACE",
            NodeParserTest.s(id.substring(id.lastIndexOf('.') + 1)),
            "LISTENERS",
            NodeParserTest.list(NodeParserTest.inbound())));
  }

  static DiscoveryRequest lds(String nodeId) {
    return DiscoveryRequest.newBuilder()
        .setNode(node(nodeId))
        .setTypeUrl(TypeUrls.LISTENER)
        .build();
  }

  /** What the server sent on one stream, safe to read from the test thread. */
  static final class Outcome implements StreamObserver<DiscoveryResponse> {
    final List<DiscoveryResponse> responses = new CopyOnWriteArrayList<>();
    volatile Status status;

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
  }

  private AdsStream open(ProxyCaller caller, Outcome outcome, String nodeId) {
    AdsStream stream = new AdsStream(server, caller, outcome);
    stream.onNext(lds(nodeId));
    return stream;
  }

  @Test
  void aPodCallerGetsItsOwnNode() {
    Outcome outcome = new Outcome();
    open(POD_A, outcome, "pod-a.ns");

    assertThat(outcome.status).isNull();
    assertThat(outcome.responses).hasSize(1);
    assertThat(outcome.responses.get(0).getTypeUrl()).isEqualTo(TypeUrls.LISTENER);
    assertThat(server.sessions())
        .extracting(s -> s.identity().nodeId())
        .containsExactly("pod-a.ns");
  }

  @Test
  void aPodCallerClaimingAnotherPodIsRefusedBeforeAnyResponse() {
    Outcome outcome = new Outcome();
    AdsStream stream = open(POD_A, outcome, "pod-b.ns");

    assertThat(outcome.status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(outcome.status.getDescription())
        .isEqualTo("the token is Pod ns/pod-a's, not pod-b.ns's");
    assertThat(outcome.responses).isEmpty();
    assertThat(server.sessions()).isEmpty();

    stream.onNext(lds("pod-a.ns"));
    assertThat(outcome.responses).as("a refused stream stays closed").isEmpty();
    assertThat(server.sessions()).isEmpty();
  }

  @Test
  void aNodeIdThatChangesOnOneStreamIsRefused() {
    Outcome outcome = new Outcome();
    AdsStream stream = open(ProxyCaller.ANONYMOUS, outcome, "pod-a.ns");
    DiscoveryResponse listeners = outcome.responses.get(0);
    stream.onNext(
        DiscoveryRequest.newBuilder()
            .setTypeUrl(TypeUrls.LISTENER)
            .setVersionInfo(listeners.getVersionInfo())
            .setResponseNonce(listeners.getNonce())
            .build());
    assertThat(outcome.status).as("later requests may leave the node out").isNull();

    stream.onNext(lds("pod-b.ns"));

    assertThat(outcome.status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(outcome.status.getDescription())
        .isEqualTo("node.id changed from pod-a.ns to pod-b.ns on one stream");
    assertThat(outcome.responses).hasSize(1);
    assertThat(server.sessions()).isEmpty();
  }

  @Test
  void aNodeHoldsAtMostMaxStreamsPerNode() {
    server.close();
    server = server(1);
    Outcome first = new Outcome();
    AdsStream held = open(POD_A, first, "pod-a.ns");
    Outcome second = new Outcome();
    open(POD_A, second, "pod-a.ns");
    Outcome other = new Outcome();
    open(ProxyCaller.ANONYMOUS, other, "pod-b.ns");

    assertThat(first.status).isNull();
    assertThat(second.status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(second.status.getDescription())
        .isEqualTo("node pod-a.ns already holds 1 ADS streams");
    assertThat(second.responses).isEmpty();
    assertThat(other.status).as("the bound is per node").isNull();

    held.onCompleted();
    Outcome third = new Outcome();
    open(POD_A, third, "pod-a.ns");
    assertThat(third.status).as("a closed stream frees its place").isNull();
    assertThat(third.responses).hasSize(1);
  }

  @Test
  void aStreamClosesWhenItsCredentialsExpire() {
    Outcome expiring = new Outcome();
    open(
        ProxyCaller.pod("ns", "pod-a", "uid-a", Instant.now().plusMillis(200)),
        expiring,
        "pod-a.ns");
    Outcome lasting = new Outcome();
    open(
        ProxyCaller.pod("ns", "pod-b", "uid-b", Instant.now().plus(Duration.ofHours(1))),
        lasting,
        "pod-b.ns");
    assertThat(expiring.responses).hasSize(1);

    await().atMost(Duration.ofSeconds(5)).until(() -> expiring.status != null);

    assertThat(expiring.status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(expiring.status.getDescription())
        .isEqualTo("credentials expire; reconnect with current ones");
    assertThat(lasting.status).isNull();
    assertThat(server.sessions())
        .extracting(s -> s.identity().nodeId())
        .containsExactly("pod-b.ns");
  }

  @Test
  void aStreamThatEndedIsNotEndedAgainWhenItsCredentialsExpire() {
    Outcome outcome = new Outcome();
    AdsStream stream =
        open(
            ProxyCaller.pod("ns", "pod-a", "uid-a", Instant.now().plusMillis(200)),
            outcome,
            "pod-a.ns");

    stream.onCompleted();
    assertThat(outcome.status).isEqualTo(Status.OK);
    stream.credentialsExpired();

    assertThat(outcome.status).as("still the end the proxy chose").isEqualTo(Status.OK);
    assertThat(server.sessions()).isEmpty();
  }
}
