package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Remote modules: a code-cache miss is part of delivery, the resend waits for the proxy's download
 * and differs in bytes, and a module still refused after its download is a rejection.
 */
class CodeCacheMissTest {
  private final AdsHarness ads = new AdsHarness();

  @AfterEach
  void close() {
    ads.close();
  }

  @Test
  void aCacheMissIsDeliveryNotRejectionAndTheResendAfterTheDownloadDiffersInBytes()
      throws Exception {
    ads.plan.set(
        AdsHarness.plan(
            ExtensionOffer.of(
                AdsHarness.extension("a", "{}", new ModuleSource.Served(AdsHarness.SHA)))));
    ads.connect("a");
    DiscoveryResponse first = ads.recorder.last();
    assertThat(AdsHarness.uri(first)).endsWith("/modules/sha256/" + AdsHarness.SHA + "?proxy=p.ns");
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

    ads.stream.onNext(ads.nack(first, "Unable to create Wasm plugin a", "a"));
    ProxySession session = ads.server.sessions().get(0);
    assertThat(session.hasNacked("a")).as("a cache miss is not a rejection").isFalse();
    assertThat(ads.server.planned(AdsHarness.SHA)).isTrue();
    assertThat(ads.server.planned(AdsHarness.OTHER_SHA)).isFalse();

    ads.server.downloaded("p.ns", AdsHarness.OTHER_SHA);
    ads.server.downloaded("p.ns", AdsHarness.SHA);
    await().atMost(5, TimeUnit.SECONDS).until(() -> ads.recorder.responses.size() == 3);
    DiscoveryResponse resend = ads.recorder.last();
    assertThat(AdsHarness.uri(resend)).endsWith("?proxy=p.ns&attempt=2");
    ads.ack(resend, "a");
    assertThat(session.hasAcked("a")).isTrue();
  }

  @Test
  void pluginsSharingAModuleGoOutOneAfterTheOtherSoTheProxyDownloadsItOnce() throws Exception {
    ModuleSource shared = new ModuleSource.Served(AdsHarness.SHA);
    ads.plan.set(
        AdsHarness.plan(
            ExtensionOffer.of(AdsHarness.extension("a", "{}", shared)),
            ExtensionOffer.of(AdsHarness.extension("b", "{}", shared))));
    ads.connect("a", "b");
    assertThat(ads.recorder.responses).as("LDS and the first plugin only").hasSize(2);

    ads.ack(ads.recorder.last(), "a", "b");
    assertThat(ads.recorder.responses).hasSize(3);
    assertThat(ads.recorder.last().getResources(0).unpack(TypedExtensionConfig.class).getName())
        .isEqualTo("b");
  }

  @Test
  void aModuleThatStillFailsAfterItsDownloadIsARejection() throws Exception {
    ads.plan.set(
        AdsHarness.plan(
            ExtensionOffer.of(
                AdsHarness.extension("a", "{}", new ModuleSource.Served(AdsHarness.SHA)))));
    ads.connect("a");
    ads.server.downloaded("p.ns", AdsHarness.SHA);
    for (int attempt = 1; attempt <= EcdsDelivery.MISSES_AFTER_DOWNLOAD + 1; attempt++) {
      int sent = attempt + 1;
      await().atMost(10, TimeUnit.SECONDS).until(() -> ads.recorder.responses.size() == sent);
      ads.stream.onNext(ads.nack(ads.recorder.last(), "Unable to create Wasm plugin a", "a"));
    }

    ProxySession session = ads.server.sessions().get(0);
    assertThat(session.hasNacked("a")).isTrue();
    // The proxy never held the plugin: its fail-closed stand-in takes the empty slot, once.
    assertThat(ads.recorder.responses).hasSize(EcdsDelivery.MISSES_AFTER_DOWNLOAD + 3);
    assertThat(
            ads.recorder
                .last()
                .getResources(0)
                .unpack(TypedExtensionConfig.class)
                .getTypedConfig()
                .getTypeUrl())
        .isEqualTo(TypeUrls.HTTP_FAULT);
  }
}
