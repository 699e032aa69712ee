package io.wasmplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Status;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.wasmplane.xds.ProxySession;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a proxy says cannot flood status: a NACK of 10 MiB, sent by an authenticated proxy on a real
 * apiserver, shows cut to 1 KiB in the plugin's status and Events.
 */
class NackBoundsIT extends KubernetesFixture {
  private static final int TEN_MIB = 10 << 20;

  @Test
  void aTenMebibyteNackShowsAsAtMostOneKibibyteInStatus() {
    ns.pod("web-1", "app: web");
    ns.apply(Plugins.chain(namespace, "guard", ""));
    String node = "web-1." + namespace;
    try (AdsProbe probe =
        AdsProbe.open(ns, operator.xdsPort(), node, ns.token("web-1", "wasmplane"))) {
      DiscoveryResponse listeners = probe.awaitResponse(FleetProxy.LDS, CONVERGE);
      probe.send(answer(listeners, node, null));
      ProxySession session =
          await()
              .atMost(CONVERGE)
              .until(
                  () -> operator.xds().sessions().stream().findFirst().orElse(null),
                  s -> s != null && !s.snapshot().plan().extensions().isEmpty());
      Set<String> names = session.snapshot().plan().extensions().keySet();
      probe.send(
          DiscoveryRequest.newBuilder()
              .setTypeUrl(FleetProxy.ECDS)
              .addAllResourceNames(names)
              .setNode(nodeOf(node))
              .build());
      DiscoveryResponse extension = probe.awaitResponse(FleetProxy.ECDS, CONVERGE);
      probe.send(
          answer(extension, node, "x".repeat(TEN_MIB)).toBuilder()
              .addAllResourceNames(names)
              .build());

      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () ->
                  assertThat(ns.jsonpath("wasmplugin/guard", "{.status.lastNackMessage}"))
                      .startsWith(node + ": xxx")
                      .hasSizeLessThanOrEqualTo(node.length() + 2 + 1024));
      assertThat(ns.output("get", "events", "-o", "jsonpath={.items[*].message}"))
          .contains("xxx")
          .hasSizeLessThan(64 * 1024);
    }
  }

  private static io.envoyproxy.envoy.config.core.v3.Node nodeOf(String node) {
    return io.envoyproxy.envoy.config.core.v3.Node.newBuilder().setId(node).build();
  }

  /** An ACK of {@code response}, or a NACK with {@code error} when it is not null. */
  private static DiscoveryRequest answer(DiscoveryResponse response, String node, String error) {
    DiscoveryRequest.Builder request =
        DiscoveryRequest.newBuilder()
            .setTypeUrl(response.getTypeUrl())
            .setResponseNonce(response.getNonce())
            .setNode(nodeOf(node));
    if (error == null) {
      request.setVersionInfo(response.getVersionInfo());
    } else {
      request.setErrorDetail(Status.newBuilder().setCode(3).setMessage(error));
    }
    return request.build();
  }
}
