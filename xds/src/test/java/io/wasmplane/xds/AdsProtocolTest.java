package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ADS stream's protocol rules, driven directly with a recording response observer. */
class AdsProtocolTest {
  private final AdsHarness ads = new AdsHarness();

  @AfterEach
  void close() {
    ads.close();
  }

  @Test
  void ackedResponsesAreNotResentAndAnUnchangedReplanPushesNothing() {
    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.connect("a");
    DiscoveryResponse ecds = ads.recorder.responses.get(1);
    ads.ack(ecds, "a");

    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.server.replanAll();

    assertThat(ads.recorder.responses).hasSize(2);
    ProxySession session = ads.server.sessions().get(0);
    assertThat(session.hasAcked("a")).isTrue();
    assertThat(session.types().get(TypeUrls.LISTENER).ackedVersion())
        .isEqualTo(ads.recorder.responses.get(0).getVersionInfo());
  }

  @Test
  void aContentChangeIsPushedAsEcdsOnly() {
    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.connect("a");

    ads.plan.set(AdsHarness.planWith("{\"v\":2}"));
    ads.server.replanAll();

    assertThat(ads.recorder.responses).hasSize(3);
    assertThat(ads.recorder.last().getTypeUrl()).isEqualTo(TypeUrls.EXTENSION_CONFIG);
    assertThat(ads.recorder.last().getVersionInfo())
        .isNotEqualTo(ads.recorder.responses.get(1).getVersionInfo());
  }

  @Test
  void eachChangedResourceTravelsAloneSoANackLandsOnExactlyThatPlugin() {
    ads.plan.set(
        AdsHarness.plan(
            ExtensionOffer.of(AdsHarness.extension("a", "{\"v\":1}")),
            ExtensionOffer.of(AdsHarness.extension("b", "{\"v\":1}"))));
    ads.connect("a", "b");
    assertThat(ads.recorder.responses).hasSize(3);
    ads.ack(ads.recorder.responses.get(1), "a", "b");
    ads.ack(ads.recorder.responses.get(2), "a", "b");

    ads.plan.set(
        AdsHarness.plan(
            ExtensionOffer.of(AdsHarness.extension("a", "{\"v\":1}")),
            ExtensionOffer.of(AdsHarness.extension("b", "{\"v\":2}"))));
    ads.server.replanAll();
    DiscoveryResponse second = ads.recorder.last();
    assertThat(second.getResourcesCount()).isEqualTo(1);
    ads.stream.onNext(ads.nack(second, "Invalid path: /nowhere.wasm", "a", "b"));

    ProxySession session = ads.server.sessions().get(0);
    assertThat(session.hasNacked("b")).isTrue();
    assertThat(session.extensions().get("b").nackMessage())
        .isEqualTo("Invalid path: /nowhere.wasm");
    assertThat(session.hasNacked("a")).isFalse();
    assertThat(session.hasAcked("a")).isTrue();
  }

  @Test
  void aNackIsRecordedWithEnvoysMessageAndStaleNoncesAreIgnored() {
    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.connect("a");
    DiscoveryResponse ecds = ads.recorder.responses.get(1);

    ads.stream.onNext(ads.request(TypeUrls.EXTENSION_CONFIG, "", "stale-nonce", "a"));
    ads.stream.onNext(ads.nack(ecds, "wasm: failed to load", "a"));

    ProxySession session = ads.server.sessions().get(0);
    assertThat(session.hasNacked("a")).isTrue();
    assertThat(session.extensions().get("a").nackMessage()).isEqualTo("wasm: failed to load");
    assertThat(ads.recorder.responses).as("LDS, the plugin, its stand-in").hasSize(3);
  }

  @Test
  void aRefusedPluginTheProxyNeverHeldIsReplacedByItsStandInAndStaysRejected() throws Exception {
    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.connect("a");
    ads.stream.onNext(ads.nack(ads.recorder.last(), "wasm: failed to load", "a"));

    DiscoveryResponse standIn = ads.recorder.last();
    assertThat(ads.recorder.responses).hasSize(3);
    assertThat(
            standIn
                .getResources(0)
                .unpack(TypedExtensionConfig.class)
                .getTypedConfig()
                .getTypeUrl())
        .as("FAIL_CLOSED: the deny stand-in")
        .isEqualTo(TypeUrls.HTTP_FAULT);
    ads.ack(standIn, "a");
    ads.server.replanAll();

    ProxySession session = ads.server.sessions().get(0);
    assertThat(session.hasNacked("a")).as("status keeps the rejection").isTrue();
    assertThat(ads.recorder.responses).as("the refused version is not sent again").hasSize(3);

    ads.plan.set(AdsHarness.planWith("{\"v\":2}"));
    ads.server.replanAll();
    assertThat(ads.recorder.responses).as("a new version is tried").hasSize(4);
    ads.stream.onNext(ads.nack(ads.recorder.last(), "wasm: failed again", "a"));
    assertThat(ads.recorder.responses)
        .as("the proxy now holds the stand-in, which Envoy keeps on a NACK")
        .hasSize(4);
  }

  @Test
  void aRefusalByAProxyThatHoldsAVersionSendsNoStandIn() {
    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.connect("a");
    ads.ack(ads.recorder.last(), "a");
    ads.plan.set(AdsHarness.planWith("{\"v\":2}"));
    ads.server.replanAll();
    ads.stream.onNext(ads.nack(ads.recorder.last(), "wasm: failed to load", "a"));

    assertThat(ads.recorder.responses).as("Envoy keeps version 1").hasSize(3);
    assertThat(ads.server.sessions().get(0).hasNacked("a")).isTrue();
  }

  @Test
  void aPluginWhoseFirstFetchRunsIsInTheListenerButNothingIsSentUntilItIsReady() {
    ads.plan.set(AdsHarness.plan(new ExtensionOffer("a", null, null)));
    ads.connect("a");
    assertThat(ads.recorder.responses).hasSize(1);
    assertThat(ads.recorder.responses.get(0).getTypeUrl()).isEqualTo(TypeUrls.LISTENER);

    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.server.replanAll();

    assertThat(ads.recorder.responses).hasSize(2);
    assertThat(ads.recorder.last().getTypeUrl()).isEqualTo(TypeUrls.EXTENSION_CONFIG);
    assertThat(ads.recorder.responses.get(0).getVersionInfo())
        .as("the listener did not change")
        .isEqualTo(ads.server.sessions().get(0).snapshot().listenersVersion());
  }

  @Test
  void aReconnectedProxyKeepsWhatItRunsInsteadOfAStandIn() throws Exception {
    ads.plan.set(AdsHarness.plan(new ExtensionOffer("a", null, AdsHarness.standIn("a"))));
    ads.stream.onNext(ads.request(TypeUrls.LISTENER, "v-before-restart", ""));
    ads.ack(ads.recorder.responses.get(0));
    ads.stream.onNext(ads.request(TypeUrls.EXTENSION_CONFIG, "ecds-before-restart", "", "a"));
    assertThat(ads.recorder.responses).hasSize(1);

    RecordingObserver fresh = new RecordingObserver();
    AdsStream freshStream = new AdsStream(ads.server, ProxyCaller.ANONYMOUS, fresh);
    freshStream.onNext(ads.request(TypeUrls.LISTENER, "", ""));
    freshStream.onNext(ads.request(TypeUrls.EXTENSION_CONFIG, "", "", "a"));
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
    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.connect("a");
    ads.ack(ads.recorder.responses.get(1), "a");
    ads.recorder.ready = false;

    ads.plan.set(AdsHarness.planWith("{\"v\":2}"));
    ads.server.replanAll();
    ads.plan.set(AdsHarness.planWith("{\"v\":3}"));
    ads.server.replanAll();
    assertThat(ads.recorder.responses).hasSize(2);

    ads.recorder.drain();
    assertThat(ads.recorder.responses).hasSize(3);
    assertThat(ads.recorder.last().getResources(0).toString()).contains("v\\\":3");
  }

  @Test
  void aHugeNackMessageIsKeptCutToOneKibibyte() {
    ads.plan.set(AdsHarness.planWith("{\"v\":1}"));
    ads.connect("a");
    ads.stream.onNext(ads.nack(ads.recorder.last(), "x".repeat(10 << 20), "a"));

    String kept = ads.server.sessions().get(0).extensions().get("a").nackMessage();
    assertThat(kept.length()).isLessThanOrEqualTo(NackText.MAX_BYTES);
  }

  @Test
  void aProxyWithBrokenMetadataGetsAnErrorNotAnEmptyLds() {
    ads.plan.set(AdsHarness.planWith("{}"));
    ads.stream.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(Node.newBuilder().setId("no-namespace"))
            .setTypeUrl(TypeUrls.LISTENER)
            .build());

    assertThat(ads.recorder.responses).isEmpty();
    assertThat(ads.recorder.error).isInstanceOf(StatusRuntimeException.class);
    assertThat(ads.recorder.error.getMessage())
        .contains("INVALID_ARGUMENT")
        .contains("node.id must be");
    assertThat(ads.server.sessions()).isEmpty();
  }
}
