package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the xDS port's authentication over real gRPC: a refused call ends with the authenticator's
 * code and message, an admitted one reaches its ADS stream as the caller it proved to be.
 */
class AuthInterceptorTest {
  private static final List<CallerCredentials> SEEN = new CopyOnWriteArrayList<>();
  private static XdsServer server;
  private ManagedChannel channel;

  /** Accepts only "Bearer good", as Pod ns/pod-a; "Bearer revoked" is refused with its own code. */
  static ProxyCaller authenticate(CallerCredentials credentials)
      throws ProxyAuthenticator.AuthFailure {
    SEEN.add(credentials);
    if ("Bearer good".equals(credentials.authorization())) {
      return ProxyCaller.pod("ns", "pod-a", null, null);
    }
    if ("Bearer revoked".equals(credentials.authorization())) {
      throw new ProxyAuthenticator.AuthFailure(
          Status.Code.PERMISSION_DENIED, "this token was revoked");
    }
    throw new ProxyAuthenticator.AuthFailure(
        Status.Code.UNAUTHENTICATED, "send the good token as a bearer token");
  }

  @BeforeAll
  static void start() {
    server =
        new XdsServer(
                "127.0.0.1",
                0,
                proxy -> AdsHarness.planWith("{\"v\":1}"),
                XdsEvents.NONE,
                ModuleBytes.REMOTE,
                new XdsSecurity(null, AuthInterceptorTest::authenticate, null, 4))
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeChannel() {
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  /** Opens an ADS stream as {@code nodeId}, with {@code authorization} if not null. */
  private AdsAuthTest.Outcome call(String authorization, String nodeId) {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub =
        AggregatedDiscoveryServiceGrpc.newStub(channel);
    if (authorization != null) {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    AdsAuthTest.Outcome outcome = new AdsAuthTest.Outcome();
    StreamObserver<DiscoveryRequest> requests = stub.streamAggregatedResources(outcome);
    requests.onNext(AdsAuthTest.lds(nodeId));
    return outcome;
  }

  @ParameterizedTest(name = "[{0}] as {1} -> {2}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "NULL, pod-a.ns, UNAUTHENTICATED, send the good token as a bearer token",
        "Bearer bad, pod-a.ns, UNAUTHENTICATED, send the good token as a bearer token",
        "Basic good, pod-a.ns, UNAUTHENTICATED, send the good token as a bearer token",
        "Bearer revoked, pod-a.ns, PERMISSION_DENIED, this token was revoked",
        "Bearer good, pod-b.ns, PERMISSION_DENIED, 'the token is Pod ns/pod-a''s, not pod-b.ns''s'",
      })
  void aRefusedCallGetsNoResponseAndSaysWhy(
      String authorization, String nodeId, Status.Code code, String message) {
    AdsAuthTest.Outcome outcome = call(authorization, nodeId);

    await().atMost(Duration.ofSeconds(10)).until(() -> outcome.status != null);
    assertThat(outcome.status.getCode()).isEqualTo(code);
    assertThat(outcome.status.getDescription()).isEqualTo(message);
    assertThat(outcome.responses).isEmpty();
  }

  @Test
  void theRightTokenGetsListeners() {
    AdsAuthTest.Outcome outcome = call("Bearer good", "pod-a.ns");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !outcome.responses.isEmpty() || outcome.status != null);
    assertThat(outcome.status).isNull();
    assertThat(outcome.responses.get(0).getTypeUrl()).isEqualTo(TypeUrls.LISTENER);
    assertThat(outcome.responses.get(0).getResourcesCount()).isEqualTo(1);
    CallerCredentials last = SEEN.get(SEEN.size() - 1);
    assertThat(last.authorization()).isEqualTo("Bearer good");
    assertThat(last.certificates()).as("plaintext has no certificates").isEmpty();
    assertThat(last.peer().isLoopbackAddress()).isTrue();
  }
}
