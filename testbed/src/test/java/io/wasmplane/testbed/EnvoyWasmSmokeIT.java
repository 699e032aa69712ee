package io.wasmplane.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proves that the testbed's Envoy really runs Wasm filters on the V8 runtime. */
class EnvoyWasmSmokeIT {
  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();

  private static String wasmHttpFilter(String name, String fixture, String config, String env) {
    return ("          - {name: %s, typed_config: {\"@type\": type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm,"
            + " config: {root_id: %s, configuration: {\"@type\": type.googleapis.com/google.protobuf.StringValue, value: %s},"
            + " vm_config: {vm_id: %s, runtime: envoy.wasm.runtime.v8, code: {local: {filename: %s}},"
            + " environment_variables: {key_values: {%s}}}}}}\n")
        .formatted(name, name, config, name, WasmFixtures.path(fixture), env);
  }

  @Test
  void wasmHttpFiltersRunInOrderAndSeeTheirEnvironment() throws Exception {
    try (EchoUpstream upstream = EchoUpstream.start()) {
      String bootstrap =
          """
          admin: {address: {socket_address: {address: 127.0.0.1, port_value: {{admin_port}}}}}
          static_resources:
            listeners:
            - name: http
              address: {socket_address: {address: 127.0.0.1, port_value: {{port:http}}}}
              filter_chains:
              - filters:
                - name: envoy.filters.network.http_connection_manager
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                    stat_prefix: smoke
                    route_config:
                      virtual_hosts:
                      - {name: all, domains: ["*"], routes: [{match: {prefix: /}, route: {cluster: upstream}}]}
                    http_filters:
          %s%s%s          - name: envoy.filters.http.router
                      typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
            clusters:
            - name: upstream
              type: STATIC
              load_assignment:
                cluster_name: upstream
                endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
          """
              .formatted(
                  wasmHttpFilter("first", WasmFixtures.HEADER_CHAIN, "alpha", "\"K\": \"1\""),
                  wasmHttpFilter("second", WasmFixtures.HEADER_CHAIN, "beta", "\"K\": \"2\""),
                  wasmHttpFilter(
                      "env", WasmFixtures.ENV_HEADER, "unused", "\"GREETING\": \"hello\""),
                  upstream.port());
      Envoy envoy = envoys.start(bootstrap);

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + envoy.port("http") + "/smoke"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body())
          .as("the Wasm filters must have run on V8; Envoy log:\n%s", envoy.logTail(30))
          .contains("x-wasmplane-chain: alpha\nx-wasmplane-chain: beta\n")
          .contains("x-wasmplane-env: GREETING=hello\n");
      System.out.println("Wasm ran in Envoy: upstream saw\n" + response.body());
    }
  }

  @Test
  void wasmNetworkFilterPrefixesTcpData() throws Exception {
    try (TcpEchoUpstream upstream = TcpEchoUpstream.start()) {
      String bootstrap =
          """
          admin: {address: {socket_address: {address: 127.0.0.1, port_value: {{admin_port}}}}}
          static_resources:
            listeners:
            - name: tcp
              address: {socket_address: {address: 127.0.0.1, port_value: {{port:tcp}}}}
              filter_chains:
              - filters:
                - name: tag
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm
                    config:
                      root_id: tag
                      configuration: {"@type": type.googleapis.com/google.protobuf.StringValue, value: "[tagged]"}
                      vm_config: {vm_id: tag, runtime: envoy.wasm.runtime.v8, code: {local: {filename: %s}}}
                - name: envoy.filters.network.tcp_proxy
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                    stat_prefix: smoke
                    cluster: upstream
            clusters:
            - name: upstream
              type: STATIC
              load_assignment:
                cluster_name: upstream
                endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
          """
              .formatted(WasmFixtures.path(WasmFixtures.TCP_PREFIX), upstream.port());
      Envoy envoy = envoys.start(bootstrap);

      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), envoy.port("tcp"))) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write("ping".getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] expected = "[tagged]ping".getBytes(StandardCharsets.UTF_8);
        byte[] got = in.readNBytes(expected.length);
        assertThat(new String(got, StandardCharsets.UTF_8)).isEqualTo("[tagged]ping");
      }
    }
  }
}
