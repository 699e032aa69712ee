package io.wasmplane.testbed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an Envoy bootstrap template that follows Wasmplane's proxy contract: a node id and
 * metadata, ADS to {@code wasmplane-xds}, module fetches from {@code wasmplane-modules}, and static
 * upstream clusters. Each listener's port is the placeholder {@code {{port:<listener name>}}}.
 */
public final class SidecarBootstrap {
  private final String nodeId;
  private final String namespace;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final List<String> listeners = new ArrayList<>();
  private final Map<String, Integer> clusters = new LinkedHashMap<>();
  private int xdsPort;
  private int modulesPort;
  private final List<Integer> extraXdsPorts = new ArrayList<>();
  private java.nio.file.Path tokenSds;
  private java.nio.file.Path tokenDirectory;
  private java.nio.file.Path serverCa;
  private String serverName;
  private java.nio.file.Path tlsSds;

  private SidecarBootstrap(String nodeId, String namespace) {
    this.nodeId = nodeId;
    this.namespace = namespace;
  }

  /** A proxy {@code pod.namespace} in {@code namespace}. */
  public static SidecarBootstrap proxy(String pod, String namespace) {
    return new SidecarBootstrap(pod + "." + namespace, namespace);
  }

  public SidecarBootstrap label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  /** Where the control plane listens: its gRPC (ADS) and HTTP (modules) ports. */
  public SidecarBootstrap controlPlane(int xds, int modules) {
    this.xdsPort = xds;
    this.modulesPort = modules;
    return this;
  }

  /**
   * One more control-plane replica's ADS port, as a Service with several endpoints gives: the proxy
   * streams from one of them and moves to another when its stream breaks.
   */
  public SidecarBootstrap alsoXds(int xds) {
    extraXdsPorts.add(xds);
    return this;
  }

  /**
   * Sends a bearer token on the xDS stream and on module downloads: a credential injector on both
   * control-plane clusters reads it through SDS from {@code sdsFile}, a generic secret naming the
   * token file, and reads it again whenever an entry of the token's directory is moved into place,
   * which is how kubelet swaps a projected token.
   */
  public SidecarBootstrap token(java.nio.file.Path sdsFile, java.nio.file.Path tokenDirectory) {
    this.tokenSds = sdsFile;
    this.tokenDirectory = tokenDirectory;
    return this;
  }

  /**
   * Speaks TLS to the xDS port and accepts only a certificate that {@code ca} signed for {@code
   * name}, which is also sent as SNI.
   */
  public SidecarBootstrap tls(java.nio.file.Path ca, String name) {
    this.serverCa = ca;
    this.serverName = name;
    return this;
  }

  /**
   * Speaks TLS to the xDS port with what SDS files in {@code directory} say, as a Pod that mounts
   * them would: {@code ca-sds.yaml} (a validation context, secret {@code wasmplane-ca}) and {@code
   * cert-sds.yaml} (a client certificate, secret {@code wasmplane-client}). Envoy reads them again
   * when an entry of the directory is moved into place. {@code name} is sent as SNI.
   */
  public SidecarBootstrap tlsFromSds(java.nio.file.Path directory, String name) {
    this.tlsSds = directory;
    this.serverName = name;
    return this;
  }

  private String transportSocket() {
    if (tlsSds != null) {
      String source =
          "{path_config_source: {path: %s/%%s, watched_directory: {path: %s}}}"
              .formatted(tlsSds, tlsSds);
      return upstreamTls(
          """
          validation_context_sds_secret_config: {name: wasmplane-ca, sds_config: %s}
          tls_certificate_sds_secret_configs: [{name: wasmplane-client, sds_config: %s}]
          """
              .formatted(source.formatted("ca-sds.yaml"), source.formatted("cert-sds.yaml")));
    }
    if (serverCa == null) {
      return "";
    }
    return upstreamTls(
        """
        validation_context:
          trusted_ca: {filename: %s}
          match_typed_subject_alt_names: [{san_type: DNS, matcher: {exact: %s}}]
        """
            .formatted(serverCa, serverName));
  }

  /** The cluster's TLS transport socket to {@link #serverName} with {@code commonTlsContext}. */
  private String upstreamTls(String commonTlsContext) {
    return ("""
            transport_socket:
              name: envoy.transport_sockets.tls
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                sni: %s
                common_tls_context:
        """
                .formatted(serverName)
            + commonTlsContext.indent(10))
        .stripTrailing();
  }

  /** The SDS file for {@link #token}: a generic secret whose value is the file {@code token}. */
  public static String tokenSecret(java.nio.file.Path token) {
    return """
        resources:
        - "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret
          name: wasmplane-token
          generic_secret: {secret: {filename: %s}}
        """
        .formatted(token);
  }

  private String injector() {
    if (tokenSds == null) {
      return "";
    }
    return """
            http_filters:
            - name: envoy.filters.http.credential_injector
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.credential_injector.v3.CredentialInjector
                overwrite: true
                credential:
                  name: envoy.http.injected_credentials.generic
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.http.injected_credentials.generic.v3.Generic
                    credential:
                      name: wasmplane-token
                      sds_config: {path_config_source: {path: %s, watched_directory: {path: %s}}}
                    header: authorization
                    header_value_prefix: "Bearer "
            - name: envoy.filters.http.upstream_codec
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.http.upstream_codec.v3.UpstreamCodec
        """
        .formatted(tokenSds, tokenDirectory)
        .indent(4)
        .stripTrailing();
  }

  /** A static cluster {@code name} sending to 127.0.0.1:{@code port}. */
  public SidecarBootstrap cluster(String name, int port) {
    clusters.put(name, port);
    return this;
  }

  /** An INBOUND listener in front of the app's {@code targetPort}. */
  public SidecarBootstrap inbound(String name, String protocol, int targetPort, String cluster) {
    listeners.add(
        "{name: %s, port: {{port:%s}}, address: 127.0.0.1, direction: INBOUND, targetPort: %d, protocol: %s, cluster: %s}"
            .formatted(name, name, targetPort, protocol, cluster));
    return this;
  }

  /** An OUTBOUND listener, as a gateway or a client-side sidecar has. */
  public SidecarBootstrap outbound(String name, String protocol, String cluster) {
    listeners.add(
        "{name: %s, port: {{port:%s}}, address: 127.0.0.1, direction: OUTBOUND, protocol: %s, cluster: %s}"
            .formatted(name, name, protocol, cluster));
    return this;
  }

  /** The bootstrap template for {@link Envoy#start}. */
  public String template() {
    StringBuilder yaml = new StringBuilder();
    yaml.append("node:\n  id: ").append(nodeId).append("\n  cluster: test\n  metadata:\n");
    yaml.append("    NAMESPACE: ").append(namespace).append('\n');
    yaml.append("    LABELS: {");
    yaml.append(
        String.join(
            ", ",
            labels.entrySet().stream()
                .map(e -> e.getKey() + ": \"" + e.getValue() + "\"")
                .toList()));
    yaml.append("}\n    LISTENERS:\n");
    listeners.forEach(l -> yaml.append("    - ").append(l).append('\n'));
    yaml.append(
        """
        admin: {address: {socket_address: {address: 127.0.0.1, port_value: {{admin_port}}}}}
        dynamic_resources:
          ads_config:
            api_type: GRPC
            transport_api_version: V3
            grpc_services: [{envoy_grpc: {cluster_name: wasmplane-xds}}]
          lds_config: {ads: {}, resource_api_version: V3}
        static_resources:
          clusters:
          - name: wasmplane-xds
            type: STATIC
            connect_timeout: 2s
        %s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
        %s
            load_assignment:
              cluster_name: wasmplane-xds
              endpoints: [{lb_endpoints: [%s]}]
          - name: wasmplane-modules
            type: STATIC
            connect_timeout: 2s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http_protocol_options: {}}
        %s
            load_assignment:
              cluster_name: wasmplane-modules
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
        """
            .formatted(
                transportSocket(),
                injector(),
                String.join(
                    ", ",
                    java.util.stream.Stream.concat(
                            java.util.stream.Stream.of(xdsPort), extraXdsPorts.stream())
                        .map(
                            port ->
                                "{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}"
                                    .formatted(port))
                        .toList()),
                injector(),
                modulesPort));
    clusters.forEach(
        (name, port) ->
            yaml.append(
                """
                  - name: %s
                    type: STATIC
                    connect_timeout: 2s
                    load_assignment:
                      cluster_name: %s
                      endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
                """
                    .formatted(name, name, port)));
    return yaml.toString();
  }
}
