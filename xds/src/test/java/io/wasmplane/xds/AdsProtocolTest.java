package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ADS stream's protocol rules, driven directly with a hand-written response observer. */
class AdsProtocolTest {
  private final AtomicReference<ProxyPlan> plan = new AtomicReference<>();
  private final XdsServer server =
      new XdsServer("127.0.0.1", 0, proxy -> plan.get(), XdsEvents.NONE);
  private final Recorder recorder = new Recorder();
  private final AdsStream stream = new AdsStream(server, recorder);

  /** Records what the server sends. */
  static final class Recorder implements StreamObserver<DiscoveryResponse> {
    final List<DiscoveryResponse> responses = new ArrayList<>();
    Throwable error;

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
  }

  @AfterEach
  void close() {
    server.close();
  }

  private static final ListenerSpec LISTENER =
      new ListenerSpec("in", "0.0.0.0", 15006, Direction.INBOUND, 8080, Protocol.HTTP, "app");

  private static WasmExtension extension(String name, String config) {
    return new WasmExtension(
        name,
        FilterType.HTTP,
        "",
        name,
        new ModuleSource.LocalFile("/p.wasm"),
        config,
        FailurePolicy.FAIL_CLOSED,
        List.of(),
        Map.of(),
        null,
        null);
  }

  private static ProxyPlan planWith(String config) {
    return new ProxyPlan(
        List.of(new ListenerPlan(LISTENER, List.of(), List.of("a"))),
        Map.of("a", extension("a", config)));
  }

  private static Node node() {
    return Node.newBuilder()
        .setId("p.ns")
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", NodeParserTest.s("ns"))
                .putFields("LISTENERS", NodeParserTest.list(NodeParserTest.inbound())))
        .build();
  }

  private DiscoveryRequest request(String type, String version, String nonce, String... names) {
    return DiscoveryRequest.newBuilder()
        .setNode(node())
        .setTypeUrl(type)
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .addAllResourceNames(List.of(names))
        .build();
  }

  @Test
  void ackedResponsesAreNotResentAndAnUnchangedReplanPushesNothing() {
    plan.set(planWith("{\"v\":1}"));
    stream.onNext(request(TypeUrls.LISTENER, "", ""));
    DiscoveryResponse lds = recorder.responses.get(0);
    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "", "a"));
    DiscoveryResponse ecds = recorder.responses.get(1);
    stream.onNext(request(TypeUrls.LISTENER, lds.getVersionInfo(), lds.getNonce()));
    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, ecds.getVersionInfo(), ecds.getNonce(), "a"));

    plan.set(planWith("{\"v\":1}"));
    server.replanAll();

    assertThat(recorder.responses).hasSize(2);
    ProxySession session = server.sessions().get(0);
    assertThat(session.hasAcked("a")).isTrue();
    assertThat(session.types().get(TypeUrls.LISTENER).ackedVersion())
        .isEqualTo(lds.getVersionInfo());
  }

  @Test
  void aContentChangeIsPushedAsEcdsOnly() {
    plan.set(planWith("{\"v\":1}"));
    stream.onNext(request(TypeUrls.LISTENER, "", ""));
    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "", "a"));

    plan.set(planWith("{\"v\":2}"));
    server.replanAll();

    assertThat(recorder.responses).hasSize(3);
    assertThat(recorder.responses.get(2).getTypeUrl()).isEqualTo(TypeUrls.EXTENSION_CONFIG);
    assertThat(recorder.responses.get(2).getVersionInfo())
        .isNotEqualTo(recorder.responses.get(1).getVersionInfo());
  }

  @Test
  void aNackIsRecordedWithEnvoysMessageAndStaleNoncesAreIgnored() {
    plan.set(planWith("{\"v\":1}"));
    stream.onNext(request(TypeUrls.LISTENER, "", ""));
    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "", "a"));
    DiscoveryResponse ecds = recorder.responses.get(1);

    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "stale-nonce", "a"));
    stream.onNext(
        request(TypeUrls.EXTENSION_CONFIG, "", ecds.getNonce(), "a").toBuilder()
            .setErrorDetail(Status.newBuilder().setMessage("wasm: failed to load"))
            .build());

    ProxySession session = server.sessions().get(0);
    assertThat(session.hasNacked("a")).isTrue();
    assertThat(session.extensions().get("a").nackMessage()).isEqualTo("wasm: failed to load");
    assertThat(recorder.responses).hasSize(2);
  }

  @Test
  void aNackLandsOnTheResourceThatChangedNotOnTheOnesTheProxyAlreadyRuns() {
    plan.set(
        new ProxyPlan(
            List.of(new ListenerPlan(LISTENER, List.of(), List.of("a", "b"))),
            Map.of("a", extension("a", "{\"v\":1}"), "b", extension("b", "{\"v\":1}"))));
    stream.onNext(request(TypeUrls.LISTENER, "", ""));
    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "", "a", "b"));
    DiscoveryResponse first = recorder.responses.get(1);
    stream.onNext(
        request(TypeUrls.EXTENSION_CONFIG, first.getVersionInfo(), first.getNonce(), "a", "b"));

    plan.set(
        new ProxyPlan(
            List.of(new ListenerPlan(LISTENER, List.of(), List.of("a", "b"))),
            Map.of("a", extension("a", "{\"v\":1}"), "b", extension("b", "{\"v\":2}"))));
    server.replanAll();
    DiscoveryResponse second = recorder.responses.get(2);
    assertThat(second.getResourcesCount()).isEqualTo(2);
    stream.onNext(
        request(TypeUrls.EXTENSION_CONFIG, first.getVersionInfo(), second.getNonce(), "a", "b")
            .toBuilder()
            .setErrorDetail(Status.newBuilder().setMessage("Invalid path: /nowhere.wasm"))
            .build());

    ProxySession session = server.sessions().get(0);
    assertThat(session.hasNacked("b")).isTrue();
    assertThat(session.extensions().get("b").nackMessage())
        .isEqualTo("Invalid path: /nowhere.wasm");
    assertThat(session.hasNacked("a")).isFalse();
    assertThat(session.hasAcked("a")).isTrue();
  }

  @Test
  void aProxyWithBrokenMetadataGetsAnErrorNotAnEmptyLds() {
    plan.set(planWith("{}"));
    stream.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(Node.newBuilder().setId("no-namespace"))
            .setTypeUrl(TypeUrls.LISTENER)
            .build());

    assertThat(recorder.responses).isEmpty();
    assertThat(recorder.error).isInstanceOf(StatusRuntimeException.class);
    assertThat(recorder.error.getMessage())
        .contains("INVALID_ARGUMENT")
        .contains("node.id must be");
    assertThat(server.sessions()).isEmpty();
  }
}
