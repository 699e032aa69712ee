package io.wasmplane.operator;

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
    XdsOptions xds,
    FetchOptions fetch,
    boolean help) {

  public CliOptions {
    insecureRegistries = List.copyOf(insecureRegistries);
    namespaces = List.copyOf(namespaces);
  }

  /**
   * How the xDS port is secured and bounded.
   *
   * @param tlsCert PEM certificate chain to serve xDS with, or null
   * @param tlsKey PEM private key of {@code tlsCert}, or null
   * @param clientCa PEM CAs whose client certificates are required, or null
   * @param plaintext whether xDS is served without TLS even where TLS is the default
   * @param auth {@code token}, {@code mtls} or {@code none}; null means the mode's default
   * @param tokenAudience the audience proxies' tokens must carry
   * @param maxConnectionAge after how long a connection is closed so proxies rebalance
   * @param maxStreamsPerProxy ADS streams one node id may hold at once
   */
  public record XdsOptions(
      Path tlsCert,
      Path tlsKey,
      Path clientCa,
      boolean plaintext,
      String auth,
      String tokenAudience,
      java.time.Duration maxConnectionAge,
      int maxStreamsPerProxy) {}

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
  public static final String USAGE = usage();

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
    long moduleMax = 256L << 20;
    List<String> denyCidrs = new java.util.ArrayList<>();
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value = null;
      int eq = arg.indexOf('=');
      String flag = arg;
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (flag) {
        case "-h", "--help" -> help = true;
        case "--config-dir" -> configDir = Path.of(value != null ? value : next(args, ++i, flag));
        case "--xds-port" -> xdsPort = port(value != null ? value : next(args, ++i, flag), flag);
        case "--http-port" -> httpPort = port(value != null ? value : next(args, ++i, flag), flag);
        case "--bind-address" -> bind = value != null ? value : next(args, ++i, flag);
        case "--root-namespace" -> root = value != null ? value : next(args, ++i, flag);
        case "--log-level" -> {
          logLevel = (value != null ? value : next(args, ++i, flag)).toLowerCase(Locale.ROOT);
          if (!List.of("trace", "debug", "info", "warn", "error").contains(logLevel)) {
            throw new IllegalArgumentException(
                "--log-level must be trace, debug, info, warn or error, got " + logLevel);
          }
        }
        case "--module-cache-dir" ->
            cacheDir = Path.of(value != null ? value : next(args, ++i, flag));
        case "--module-cache-max-bytes" ->
            cacheMax = bytes(value != null ? value : next(args, ++i, flag), flag);
        case "--insecure-registry" -> insecure.add(value != null ? value : next(args, ++i, flag));
        case "--module-ca-file" -> caFile = Path.of(value != null ? value : next(args, ++i, flag));
        case "--module-delivery" -> {
          delivery = value != null ? value : next(args, ++i, flag);
          if (!delivery.equals("inline") && !delivery.equals("remote")) {
            throw new IllegalArgumentException(
                "--module-delivery must be inline or remote, got " + delivery);
          }
        }
        case "--kubeconfig" -> kubeconfig = Path.of(value != null ? value : next(args, ++i, flag));
        case "--namespaces" -> {
          for (String ns : (value != null ? value : next(args, ++i, flag)).split(",")) {
            if (!ns.isBlank()) {
              namespaces.add(ns.trim());
            }
          }
        }
        case "--leader-election-namespace" ->
            leaseNamespace = value != null ? value : next(args, ++i, flag);
        case "--xds-tls-cert" -> tlsCert = Path.of(value != null ? value : next(args, ++i, flag));
        case "--xds-tls-key" -> tlsKey = Path.of(value != null ? value : next(args, ++i, flag));
        case "--xds-client-ca" -> clientCa = Path.of(value != null ? value : next(args, ++i, flag));
        case "--xds-plaintext" -> plaintext = true;
        case "--xds-auth" -> {
          auth = value != null ? value : next(args, ++i, flag);
          if (!List.of("token", "mtls", "none").contains(auth)) {
            throw new IllegalArgumentException(
                "--xds-auth must be token, mtls or none, got " + auth);
          }
        }
        case "--xds-token-audience" -> audience = value != null ? value : next(args, ++i, flag);
        case "--xds-max-connection-age" ->
            maxAge = duration(value != null ? value : next(args, ++i, flag), flag);
        case "--xds-max-streams-per-proxy" ->
            maxStreams = positive(value != null ? value : next(args, ++i, flag), flag);
        case "--module-max-bytes" ->
            moduleMax = bytes(value != null ? value : next(args, ++i, flag), flag);
        case "--fetch-deny-cidr" -> denyCidrs.add(value != null ? value : next(args, ++i, flag));
        default -> throw new IllegalArgumentException("unknown flag " + arg);
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
        new XdsOptions(tlsCert, tlsKey, clientCa, plaintext, auth, audience, maxAge, maxStreams),
        new FetchOptions(moduleMax, denyCidrs),
        help);
  }

  private static String next(List<String> args, int i, String flag) {
    if (i >= args.size() || args.get(i).startsWith("--")) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args.get(i);
  }

  private static long bytes(String value, String flag) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]+)(Ki|Mi|Gi)?").matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          flag + " must be a number of bytes, optionally with Ki, Mi or Gi, got " + value);
    }
    long number = Long.parseLong(m.group(1));
    int shift =
        m.group(2) == null
            ? 0
            : switch (m.group(2)) {
              case "Ki" -> 10;
              case "Mi" -> 20;
              default -> 30;
            };
    return number << shift;
  }

  private static java.time.Duration duration(String value, String flag) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)").matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          flag + " must be a duration such as 500ms, 90s, 10m or 1h, got " + value);
    }
    long number = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> java.time.Duration.ofMillis(number);
      case "s" -> java.time.Duration.ofSeconds(number);
      case "m" -> java.time.Duration.ofMinutes(number);
      default -> java.time.Duration.ofHours(number);
    };
  }

  private static int positive(String value, String flag) {
    try {
      int number = Integer.parseInt(value);
      if (number < 1) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a positive number, got " + value);
    }
  }

  private static String usage() {
    try (java.io.InputStream in = CliOptions.class.getResourceAsStream("usage.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException | NullPointerException e) {
      throw new IllegalStateException("usage.txt is missing from the operator jar", e);
    }
  }

  private static int port(String value, String flag) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a port number, got " + value);
    }
  }
}
