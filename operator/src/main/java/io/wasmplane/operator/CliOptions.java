package io.wasmplane.operator;

import io.wasmplane.operator.trust.XdsFlags;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The command-line flags of {@code wasmplane}.
 *
 * @param configDir directory of WasmPlugin and Secret YAML; null means Kubernetes mode
 * @param xdsPort gRPC ADS port
 * @param httpPort port for probes, metrics, debug views and modules
 * @param bindAddress address both ports listen on
 * @param rootNamespace plugins here apply to workloads in every namespace
 * @param logLevel slf4j level for Wasmplane's own loggers
 * @param moduleCacheDir where fetched modules are kept
 * @param moduleCacheMaxBytes size bound of the module cache
 * @param insecureRegistries registries spoken to over plain HTTP
 * @param moduleCaFile extra CA certificates (PEM) trusted for https and registries, or null
 * @param moduleDelivery {@code inline} (module bytes in ECDS) or {@code remote} (Envoy fetches
 *     {@code /modules/sha256/<hex>} from the {@code wasmplane-modules} cluster)
 * @param kubeconfig kubeconfig file for Kubernetes mode; null means in-cluster or ~/.kube/config
 * @param namespaces namespaces to watch in Kubernetes mode; empty means all
 * @param leaderElectionNamespace namespace of the status lease; null means the Pod's namespace
 * @param xds how the xDS port is secured and bounded
 * @param fetch bounds on module fetching
 * @param help whether to print usage and exit
 */
public record CliOptions(
    Path configDir,
    int xdsPort,
    int httpPort,
    String bindAddress,
    String rootNamespace,
    String logLevel,
    Path moduleCacheDir,
    long moduleCacheMaxBytes,
    List<String> insecureRegistries,
    Path moduleCaFile,
    String moduleDelivery,
    Path kubeconfig,
    List<String> namespaces,
    String leaderElectionNamespace,
    XdsFlags xds,
    FetchOptions fetch,
    boolean help) {

  public CliOptions {
    insecureRegistries = List.copyOf(insecureRegistries);
    namespaces = List.copyOf(namespaces);
  }

  /**
   * Bounds on module fetching.
   *
   * @param moduleMaxBytes largest module accepted, also after decompression
   * @param denyCidrs address ranges never fetched from, on top of link-local and metadata ones
   */
  public record FetchOptions(long moduleMaxBytes, List<String> denyCidrs) {
    public FetchOptions {
      denyCidrs = List.copyOf(denyCidrs);
    }
  }

  /** The text {@code --help} prints. */
  public static final String USAGE = CliValues.usage();

  /** Parses {@code args}; throws {@link IllegalArgumentException} with a message for the user. */
  public static CliOptions parse(List<String> args) {
    Path configDir = null;
    int xdsPort = 15010;
    int httpPort = 15014;
    String bind = "0.0.0.0";
    String root = "istio-system";
    String logLevel = "info";
    Path cacheDir = Path.of(System.getProperty("java.io.tmpdir"), "wasmplane", "modules");
    long cacheMax = 1L << 30;
    List<String> insecure = new java.util.ArrayList<>();
    Path caFile = null;
    String delivery = "remote";
    Path kubeconfig = null;
    List<String> namespaces = new java.util.ArrayList<>();
    String leaseNamespace = null;
    Path tlsCert = null;
    Path tlsKey = null;
    Path clientCa = null;
    boolean plaintext = false;
    String auth = null;
    String audience = "wasmplane";
    java.time.Duration maxAge = java.time.Duration.ofMinutes(30);
    int maxStreams = 4;
    String service = "wasmplane";
    String tlsSecret = "wasmplane-xds-tls";
    String bootstrapConfigMap = "wasmplane-sidecar-bootstrap";
    boolean externalIssuer = false;
    long moduleMax = 256L << 20;
    List<String> denyCidrs = new java.util.ArrayList<>();
    boolean help = false;
    CliValues.Cursor in = new CliValues.Cursor(args);
    while (in.advance()) {
      String flag = in.flag();
      switch (flag) {
        case "-h", "--help" -> help = true;
        case "--config-dir" -> configDir = Path.of(in.value());
        case "--xds-port" -> xdsPort = CliValues.port(in.value(), flag);
        case "--http-port" -> httpPort = CliValues.port(in.value(), flag);
        case "--bind-address" -> bind = in.value();
        case "--root-namespace" -> root = in.value();
        case "--log-level" -> {
          logLevel = (in.value()).toLowerCase(Locale.ROOT);
          if (!List.of("trace", "debug", "info", "warn", "error").contains(logLevel)) {
            throw new IllegalArgumentException(
                "--log-level must be trace, debug, info, warn or error, got " + logLevel);
          }
        }
        case "--module-cache-dir" -> cacheDir = Path.of(in.value());
        case "--module-cache-max-bytes" -> cacheMax = CliValues.bytes(in.value(), flag);
        case "--insecure-registry" -> insecure.add(in.value());
        case "--module-ca-file" -> caFile = Path.of(in.value());
        case "--module-delivery" -> {
          delivery = in.value();
          if (!delivery.equals("inline") && !delivery.equals("remote")) {
            throw new IllegalArgumentException(
                "--module-delivery must be inline or remote, got " + delivery);
          }
        }
        case "--kubeconfig" -> kubeconfig = Path.of(in.value());
        case "--namespaces" -> {
          for (String ns : (in.value()).split(",")) {
            if (!ns.isBlank()) {
              namespaces.add(ns.trim());
            }
          }
        }
        case "--leader-election-namespace" -> leaseNamespace = in.value();
        case "--xds-tls-cert" -> tlsCert = Path.of(in.value());
        case "--xds-tls-key" -> tlsKey = Path.of(in.value());
        case "--xds-client-ca" -> clientCa = Path.of(in.value());
        case "--xds-plaintext" -> plaintext = in.set();
        case "--xds-auth" -> {
          auth = in.value();
          if (!List.of("token", "mtls", "none").contains(auth)) {
            throw new IllegalArgumentException(
                "--xds-auth must be token, mtls or none, got " + auth);
          }
        }
        case "--xds-token-audience" -> audience = in.value();
        case "--xds-max-connection-age" -> maxAge = CliValues.duration(in.value(), flag);
        case "--xds-max-streams-per-proxy" -> maxStreams = CliValues.positive(in.value(), flag);
        case "--xds-service" -> service = in.value();
        case "--xds-tls-secret" -> tlsSecret = in.value();
        case "--sidecar-bootstrap-configmap" -> bootstrapConfigMap = in.value();
        case "--xds-tls-external-issuer" -> externalIssuer = in.set();
        case "--module-max-bytes" -> moduleMax = CliValues.bytes(in.value(), flag);
        case "--fetch-deny-cidr" -> denyCidrs.add(in.value());
        default -> throw new IllegalArgumentException("unknown flag " + in.arg());
      }
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--xds-tls-cert and --xds-tls-key go together");
    }
    if (clientCa != null && tlsCert == null) {
      throw new IllegalArgumentException("--xds-client-ca needs --xds-tls-cert and --xds-tls-key");
    }
    if (plaintext && tlsCert != null) {
      throw new IllegalArgumentException("--xds-plaintext contradicts --xds-tls-cert");
    }
    if ("mtls".equals(auth) && clientCa == null && configDir != null) {
      throw new IllegalArgumentException("--xds-auth=mtls needs --xds-client-ca");
    }
    return new CliOptions(
        configDir,
        xdsPort,
        httpPort,
        bind,
        root,
        logLevel,
        cacheDir,
        cacheMax,
        insecure,
        caFile,
        delivery,
        kubeconfig,
        namespaces,
        leaseNamespace,
        new XdsFlags(
            tlsCert,
            tlsKey,
            clientCa,
            plaintext,
            auth,
            audience,
            maxAge,
            maxStreams,
            service,
            tlsSecret,
            bootstrapConfigMap,
            externalIssuer),
        new FetchOptions(moduleMax, denyCidrs),
        help);
  }
}
