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
    boolean help) {

  public CliOptions {
    insecureRegistries = List.copyOf(insecureRegistries);
    namespaces = List.copyOf(namespaces);
  }

  public static final String USAGE =
      """
      Usage: wasmplane [flags]

      Serves Istio WasmPlugin resources to Envoy proxies over xDS (LDS + ECDS on one ADS stream).

      Config source:
        --config-dir DIR          read WasmPlugin and Secret YAML files from DIR and watch them
                                  (*.yaml, *.yml; multi-document files; dotfiles are ignored).
                                  Without it, Wasmplane runs against Kubernetes:
        --kubeconfig FILE         kubeconfig to use (default: in-cluster, then ~/.kube/config)
        --namespaces NS[,NS...]   watch only these namespaces and the root namespace
                                  (default: all)
        --leader-election-namespace NS
                                  namespace of the status lease (default: the Pod's namespace);
                                  only the lease holder writes status, every replica serves xDS

      Serving:
        --xds-port PORT           gRPC port proxies connect to for ADS (default 15010)
        --http-port PORT          HTTP port for /healthz, /readyz, /metrics, /debug/proxies,
                                  /debug/plugins and /modules (default 15014)
        --bind-address ADDR       address to listen on (default 0.0.0.0)

      Modules:
        --module-cache-dir DIR    where fetched modules are cached, content-addressed
                                  (default $TMPDIR/wasmplane/modules)
        --module-cache-max-bytes N
                                  cache size bound, e.g. 536870912 or 512Mi (default 1Gi); modules
                                  in use are never evicted
        --insecure-registry HOST  speak plain HTTP to registry HOST[:PORT] (repeatable); registries
                                  on loopback always use plain HTTP
        --module-ca-file PEM      also trust these CA certificates for https:// modules and
                                  registries
        --module-delivery MODE    remote (default): Envoy fetches each module once per digest
                                  from /modules/sha256/<hex> on the wasmplane-modules cluster;
                                  inline: module bytes travel in every ECDS push (no
                                  wasmplane-modules cluster needed, costly for large modules)

      Semantics:
        --root-namespace NS       plugins in NS apply to workloads in every namespace
                                  (default istio-system)

      Other:
        --log-level LEVEL         trace, debug, info, warn or error (default info)
        -h, --help                print this help and exit

      Proxies connect as described in docs/proxy-contract.md; deploy/bootstrap holds a sample.
      """;

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
        default -> throw new IllegalArgumentException("unknown flag " + arg);
      }
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
