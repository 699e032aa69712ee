package io.wasmplane.xds;

import com.google.protobuf.Struct;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.extensions.filters.http.wasm.v3.Wasm;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** One ADS stream on a real server object, driven directly, with its plan set by the test. */
final class AdsHarness implements AutoCloseable {
  static final String SHA = "ab".repeat(32);
  static final String OTHER_SHA = "cd".repeat(32);
  final AtomicReference<ProxyPlan> plan = new AtomicReference<>();
  final XdsServer server = new XdsServer("127.0.0.1", 0, proxy -> plan.get(), XdsEvents.NONE);
  final RecordingObserver recorder = new RecordingObserver();
  final AdsStream stream = new AdsStream(server, ProxyCaller.ANONYMOUS, recorder);

  @Override
  public void close() {
    server.close();
  }

  static final ListenerSpec LISTENER =
      new ListenerSpec("in", "0.0.0.0", 15006, Direction.INBOUND, 8080, Protocol.HTTP, "app");

  static WasmFilter extension(String name, String config) {
    return extension(name, config, new ModuleSource.LocalFile("/p.wasm"));
  }

  static WasmFilter extension(String name, String config, ModuleSource module) {
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

  static StandInFilter standIn(String name) {
    return new StandInFilter(name, FilterType.HTTP, name, StandIn.DENY);
  }

  static ProxyPlan plan(ExtensionOffer... offers) {
    Map<String, ExtensionOffer> byName = new java.util.TreeMap<>();
    for (ExtensionOffer offer : offers) {
      byName.put(offer.name(), offer);
    }
    return new ProxyPlan(
        List.of(new ListenerPlan(LISTENER, List.of(), List.copyOf(byName.keySet()))), byName);
  }

  static ProxyPlan planWith(String config) {
    return plan(ExtensionOffer.of(extension("a", config)));
  }

  static Node node() {
    return Node.newBuilder()
        .setId("p.ns")
        .setMetadata(
            Struct.newBuilder()
                .putFields("NAMESPACE", NodeParserTest.s("ns"))
                .putFields("LISTENERS", NodeParserTest.list(NodeParserTest.inbound())))
        .build();
  }

  DiscoveryRequest request(String type, String version, String nonce, String... names) {
    return DiscoveryRequest.newBuilder()
        .setNode(node())
        .setTypeUrl(type)
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .addAllResourceNames(List.of(names))
        .build();
  }

  DiscoveryRequest nack(DiscoveryResponse response, String message, String... names) {
    return request(TypeUrls.EXTENSION_CONFIG, "", response.getNonce(), names).toBuilder()
        .setErrorDetail(Status.newBuilder().setMessage(message))
        .build();
  }

  void ack(DiscoveryResponse response, String... names) {
    stream.onNext(
        request(response.getTypeUrl(), response.getVersionInfo(), response.getNonce(), names));
  }

  /** Opens the stream as a fresh Envoy does: LDS, then ECDS for every name the listener has. */
  void connect(String... names) {
    stream.onNext(request(TypeUrls.LISTENER, "", ""));
    ack(recorder.responses.get(0));
    stream.onNext(request(TypeUrls.EXTENSION_CONFIG, "", "", names));
  }

  static String uri(DiscoveryResponse response) throws Exception {
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
}
