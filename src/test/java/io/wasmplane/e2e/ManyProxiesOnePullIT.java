package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.OciRegistryExtension;
import io.wasmplane.testbed.PushedImage;
import io.wasmplane.testbed.SidecarBootstrap;
import io.wasmplane.testbed.WasmFixtures;
import io.wasmplane.testbed.WasmImageFormat;
import io.wasmplane.testbed.WasmImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One hundred proxies that run one OCI plugin cause one pull from the registry: the operator
 * fetches once and hands the module to every proxy. One of them is a real Envoy running it; the
 * other 99 are ADS clients that subscribe and ACK like Envoy does.
 */
@ExtendWith(OciRegistryExtension.class)
class ManyProxiesOnePullIT {
  private static final String ECDS =
      "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";
  private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();

  /** An ADS client that acts as a proxy: LDS, then ECDS for the names LDS references, ACKing. */
  private static final class FakeProxy implements StreamObserver<DiscoveryResponse> {
    private final Node node;
    private StreamObserver<DiscoveryRequest> requests;
    final AtomicInteger wasmExtensions = new AtomicInteger();

    FakeProxy(int index) {
      Value listener =
          Value.newBuilder()
              .setStructValue(
                  Struct.newBuilder()
                      .putFields("name", str("inbound-http"))
                      .putFields("port", Value.newBuilder().setNumberValue(15006).build())
                      .putFields("direction", str("INBOUND"))
                      .putFields("targetPort", Value.newBuilder().setNumberValue(8080).build())
                      .putFields("protocol", str("HTTP"))
                      .putFields("cluster", str("app")))
              .build();
      node =
          Node.newBuilder()
              .setId("fake-" + index + ".shop")
              .setMetadata(
                  Struct.newBuilder()
                      .putFields("NAMESPACE", str("shop"))
                      .putFields(
                          "LISTENERS",
                          Value.newBuilder()
                              .setListValue(ListValue.newBuilder().addValues(listener))
                              .build()))
              .build();
    }

    private static Value str(String s) {
      return Value.newBuilder().setStringValue(s).build();
    }

    void connect(ManagedChannel channel) {
      requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(this);
      send(LDS, "", "", List.of());
    }

    private synchronized void send(String type, String version, String nonce, List<String> names) {
      requests.onNext(
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(type)
              .setVersionInfo(version)
              .setResponseNonce(nonce)
              .addAllResourceNames(names)
              .build());
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      if (response.getTypeUrl().equals(LDS)) {
        send(LDS, response.getVersionInfo(), response.getNonce(), List.of());
        send(ECDS, "", "", List.of("extensions.istio.io/wasmplugin/shop.shared"));
      } else {
        int wasm = 0;
        for (var resource : response.getResourcesList()) {
          if (resource.toByteString().toStringUtf8().contains("filters.http.wasm.v3.Wasm")) {
            wasm++;
          }
        }
        wasmExtensions.set(wasm);
        send(
            ECDS,
            response.getVersionInfo(),
            response.getNonce(),
            List.of("extensions.istio.io/wasmplugin/shop.shared"));
      }
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }

  @Test
  void aHundredProxiesCauseOnePull(OciRegistry registry) throws Exception {
    String repository = "fleet/shared-" + System.nanoTime();
    PushedImage image =
        WasmImages.push(
            registry,
            repository,
            "v1",
            WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN),
            WasmImageFormat.OCI_WASM_LAYER);
    try (DirectoryControlPlane controlPlane = DirectoryControlPlane.start();
        EchoUpstream upstream = EchoUpstream.start()) {
      controlPlane.write(
          "shared.yaml",
          """
          apiVersion: extensions.istio.io/v1alpha1
          kind: WasmPlugin
          metadata: {name: shared, namespace: shop}
          spec:
            url: oci://%s
            pluginConfig: {name: shared}
          """
              .formatted(image.reference()));
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", controlPlane.xdsPort())
              .usePlaintext()
              .build();
      List<FakeProxy> fakes = new ArrayList<>();
      try {
        for (int i = 0; i < 99; i++) {
          FakeProxy fake = new FakeProxy(i);
          fake.connect(channel);
          fakes.add(fake);
        }
        Envoy envoy =
            envoys.start(
                SidecarBootstrap.proxy("real-1", "shop")
                    .controlPlane(controlPlane.xdsPort(), controlPlane.httpPort())
                    .cluster("app", upstream.port())
                    .inbound("http", "HTTP", 8080, "app")
                    .template());

        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(Traffic.get(envoy.port("http")).chain())
                        .containsExactly(mark("shared")));
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(fakes)
                        .allSatisfy(f -> assertThat(f.wasmExtensions.get()).isEqualTo(1)));
        String debug = controlPlane.get("/debug/proxies");
        long proxies = debug.lines().filter(l -> l.contains("\"nodeId\"")).count();
        long manifestPulls = registry.getCount("/v2/" + repository + "/manifests/");
        long blobPulls = registry.getCount("/v2/" + repository + "/blobs/");
        System.out.printf(
            "%d proxies ran %s; registry served %d manifest GETs and %d blob GETs%n",
            proxies, image.reference(), manifestPulls, blobPulls);
        assertThat(proxies).isEqualTo(100);
        assertThat(manifestPulls).isEqualTo(1);
        assertThat(blobPulls).isEqualTo(1);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
