package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Struct;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ADS stream's protocol rules, driven directly with a recording response observer. */
class AdsProtocolTest {
  private static final String SHA = "ab".repeat(32);
  private static final String OTHER_SHA = "cd".repeat(32);
  private final AtomicReference<ProxyPlan> plan = new AtomicReference<>();
  private final XdsServer server =
      new XdsServer("127.0.0.1", 0, proxy -> plan.get(), XdsEvents.NONE);
  private final RecordingObserver recorder = new RecordingObserver();
  private final AdsStream stream = new AdsStream(server, recorder);

  @AfterEach
  void close() {
    server.close();
  }

  private static final ListenerSpec LISTENER =
      new ListenerSpec("in", "0.0.0.0", 15006, Direction.INBOUND, 8080, Protocol.HTTP, "app");

  private static WasmFilter extension(String name, String config) {
    return extension(name, config, new ModuleSource.LocalFile("/p.wasm"));
  }

  private static WasmFilter extension(String name, String config, ModuleSource module) {
    return new WasmFilter(
        name,
        FilterType.HTTP,
        "",
        name,
        module,
        config,
        FailurePolicy.FAIL_CLOSED,
        List.of(),
        Map.of());
  }

  private static StandInFilter standIn(String name) {
    return new StandInFilter(name, FilterType.HTTP, name, StandIn.DENY, "down");
  }

  private static ProxyPlan plan(ExtensionOffer... offers) {
    Map<String, ExtensionOffer> byName = new java.util.TreeMap<>();
    for (ExtensionOffer offer : offers) {
      byName.put(offer.name(), offer);
    }
    return new ProxyPlan(
        List.of(new ListenerPlan(LISTENER, List.of(), List.copyOf(byName.keySet()))), byName);
  }

  private static ProxyPlan planWith(String config) {
    return plan(ExtensionOffer.of(extension("a", config)));
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

  private DiscoveryRequest nack(DiscoveryResponse response, String message, String... names) {
    return request(TypeUrls.EXTENSION_CONFIG, "", response.getNonce(), names).toBuilder()
        .setErrorDetail(Status.newBuilder().setMessage(message))
        .build();
  }

  private void ack(DiscoveryResponse response, String... names) {
    stream.onNext(
        request(response.getTypeUrl(), response.getVersionInfo(), response.getNonce(), names));
  }

  /** Opens the stream as a fresh Envoy does: LDS, then ECDS for every name the listener has. */
  private void connect(String... names) {
    stream.onNext(request(TypeUrls.LISTENER, "", ""));
    ack(recorder.responses.get(0));
    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "", names));
  }

  private static String uri(DiscoveryResponse response) throws Exception {
    TypedExtensionConfig config = response.getResources(0).unpack(TypedExtensionConfig.class);
    return config
        .getTypedConfig()
        .unpack(Wasm.class)
        .getConfig()
        .getVmConfig()
        .getCode()
        .getRemote()
        .getHttpUri()
        .getUri();
  }

  @Test
  void ackedResponsesAreNotResentAndAnUnchangedReplanPushesNothing() {
    plan.set(planWith("{\"v\":1}"));
    connect("a");
    DiscoveryResponse ecds = recorder.responses.get(1);
    ack(ecds, "a");

    plan.set(planWith("{\"v\":1}"));
    server.replanAll();

    assertThat(recorder.responses).hasSize(2);
    ProxySession session = server.sessions().get(0);
    assertThat(session.hasAcked("a")).isTrue();
    assertThat(session.types().get(TypeUrls.LISTENER).ackedVersion())
        .isEqualTo(recorder.responses.get(0).getVersionInfo());
  }

  @Test
  void aContentChangeIsPushedAsEcdsOnly() {
    plan.set(planWith("{\"v\":1}"));
    connect("a");

    plan.set(planWith("{\"v\":2}"));
    server.replanAll();

    assertThat(recorder.responses).hasSize(3);
    assertThat(recorder.last().getTypeUrl()).isEqualTo(TypeUrls.EXTENSION_CONFIG);
    assertThat(recorder.last().getVersionInfo())
        .isNotEqualTo(recorder.responses.get(1).getVersionInfo());
  }

  @Test
  void eachChangedResourceTravelsAloneSoANackLandsOnExactlyThatPlugin() {
    plan.set(
        plan(
            ExtensionOffer.of(extension("a", "{\"v\":1}")),
            ExtensionOffer.of(extension("b", "{\"v\":1}"))));
    connect("a", "b");
    assertThat(recorder.responses).hasSize(3);
    ack(recorder.responses.get(1), "a", "b");
    ack(recorder.responses.get(2), "a", "b");

    plan.set(
        plan(
            ExtensionOffer.of(extension("a", "{\"v\":1}")),
            ExtensionOffer.of(extension("b", "{\"v\":2}"))));
    server.replanAll();
    DiscoveryResponse second = recorder.last();
    assertThat(second.getResourcesCount()).isEqualTo(1);
    stream.onNext(nack(second, "Invalid path: /nowhere.wasm", "a", "b"));

    ProxySession session = server.sessions().get(0);
    assertThat(session.hasNacked("b")).isTrue();
    assertThat(session.extensions().get("b").nackMessage())
        .isEqualTo("Invalid path: /nowhere.wasm");
    assertThat(session.hasNacked("a")).isFalse();
    assertThat(session.hasAcked("a")).isTrue();
  }

  @Test
  void aNackIsRecordedWithEnvoysMessageAndStaleNoncesAreIgnored() {
    plan.set(planWith("{\"v\":1}"));
    connect("a");
    DiscoveryResponse ecds = recorder.responses.get(1);

    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "stale-nonce", "a"));
    stream.onNext(nack(ecds, "wasm: failed to load", "a"));

    ProxySession session = server.sessions().get(0);
    assertThat(session.hasNacked("a")).isTrue();
    assertThat(session.extensions().get("a").nackMessage()).isEqualTo("wasm: failed to load");
    assertThat(recorder.responses).hasSize(2);
  }

  @Test
  void aCacheMissIsDeliveryNotRejectionAndTheResendAfterTheDownloadDiffersInBytes()
      throws Exception {
    plan.set(plan(ExtensionOffer.of(extension("a", "{}", new ModuleSource.Served(SHA)))));
    connect("a");
    DiscoveryResponse first = recorder.last();
    assertThat(uri(first)).endsWith("/modules/sha256/" + SHA + "?proxy=p.ns");
    assertThat(
            first
                .getResources(0)
                .unpack(TypedExtensionConfig.class)
                .getTypedConfig()
                .unpack(Wasm.class)
                .getConfig()
                .getVmConfig()
                .getNackOnCodeCacheMiss())
        .isTrue();

    stream.onNext(nack(first, "Unable to create Wasm plugin a", "a"));
    ProxySession session = server.sessions().get(0);
    assertThat(session.hasNacked("a")).as("a cache miss is not a rejection").isFalse();
    assertThat(server.planned(SHA)).isTrue();
    assertThat(server.planned(OTHER_SHA)).isFalse();

    server.downloaded("p.ns", OTHER_SHA);
    server.downloaded("p.ns", SHA);
    await().atMost(5, TimeUnit.SECONDS).until(() -> recorder.responses.size() == 3);
    DiscoveryResponse resend = recorder.last();
    assertThat(uri(resend)).endsWith("?proxy=p.ns&attempt=2");
    ack(resend, "a");
    assertThat(session.hasAcked("a")).isTrue();
  }

  @Test
  void pluginsSharingAModuleGoOutOneAfterTheOtherSoTheProxyDownloadsItOnce() throws Exception {
    ModuleSource shared = new ModuleSource.Served(SHA);
    plan.set(
        plan(
            ExtensionOffer.of(extension("a", "{}", shared)),
            ExtensionOffer.of(extension("b", "{}", shared))));
    connect("a", "b");
    assertThat(recorder.responses).as("LDS and the first plugin only").hasSize(2);

    ack(recorder.last(), "a", "b");
    assertThat(recorder.responses).hasSize(3);
    assertThat(recorder.last().getResources(0).unpack(TypedExtensionConfig.class).getName())
        .isEqualTo("b");
  }

  @Test
  void aModuleThatStillFailsAfterItsDownloadIsARejection() {
    plan.set(plan(ExtensionOffer.of(extension("a", "{}", new ModuleSource.Served(SHA)))));
    connect("a");
    server.downloaded("p.ns", SHA);
    for (int attempt = 1; attempt <= EcdsDelivery.MISSES_AFTER_DOWNLOAD + 1; attempt++) {
      int sent = attempt + 1;
      await().atMost(10, TimeUnit.SECONDS).until(() -> recorder.responses.size() == sent);
      stream.onNext(nack(recorder.last(), "Unable to create Wasm plugin a", "a"));
    }

    ProxySession session = server.sessions().get(0);
    assertThat(session.hasNacked("a")).isTrue();
    assertThat(recorder.responses).hasSize(EcdsDelivery.MISSES_AFTER_DOWNLOAD + 2);
  }

  @Test
  void aPluginWhoseFirstFetchRunsIsInTheListenerButNothingIsSentUntilItIsReady() {
    plan.set(plan(new ExtensionOffer("a", null, null)));
    connect("a");
    assertThat(recorder.responses).hasSize(1);
    assertThat(recorder.responses.get(0).getTypeUrl()).isEqualTo(TypeUrls.LISTENER);

    plan.set(planWith("{\"v\":1}"));
    server.replanAll();

    assertThat(recorder.responses).hasSize(2);
    assertThat(recorder.last().getTypeUrl()).isEqualTo(TypeUrls.EXTENSION_CONFIG);
    assertThat(recorder.responses.get(0).getVersionInfo())
        .as("the listener did not change")
        .isEqualTo(server.sessions().get(0).snapshot().listenersVersion());
  }

  @Test
  void aReconnectedProxyKeepsWhatItRunsInsteadOfAStandIn() throws Exception {
    plan.set(plan(new ExtensionOffer("a", null, standIn("a"))));
    stream.onNext(request(TypeUrls.LISTENER, "v-before-restart", ""));
    ack(recorder.responses.get(0));
    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "ecds-before-restart", "", "a"));
    assertThat(recorder.responses).hasSize(1);

    RecordingObserver fresh = new RecordingObserver();
    AdsStream freshStream = new AdsStream(server, fresh);
    freshStream.onNext(request(TypeUrls.LISTENER, "", ""));
    freshStream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "", "a"));
    assertThat(fresh.responses).hasSize(2);
    assertThat(
            fresh
                .last()
                .getResources(0)
                .unpack(TypedExtensionConfig.class)
                .getTypedConfig()
                .is(io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.class))
        .isTrue();
  }

  @Test
  void nothingIsWrittenWhileTheTransportIsNotReadyAndThenOnlyTheLatest() {
    plan.set(planWith("{\"v\":1}"));
    connect("a");
    ack(recorder.responses.get(1), "a");
    recorder.ready = false;

    plan.set(planWith("{\"v\":2}"));
    server.replanAll();
    plan.set(planWith("{\"v\":3}"));
    server.replanAll();
    assertThat(recorder.responses).hasSize(2);

    recorder.drain();
    assertThat(recorder.responses).hasSize(3);
    assertThat(recorder.last().getResources(0).toString()).contains("v\\\":3");
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
