package io.wasmplane.e2e;

import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.OciRegistryExtension;
import io.wasmplane.testbed.SidecarBootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A fresh namespace in the shared test apiserver, with helpers for what the tests put in it. */
final class TestNamespace implements AutoCloseable {
  private final KubeApiServer api;
  private final String name;

  private TestNamespace(KubeApiServer api, String name) {
    this.api = api;
    this.name = name;
  }

  static TestNamespace create(KubeApiServer api, String prefix) {
    String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    api.kubectl(null, "create", "namespace", name).orThrow();
    // No controller manager runs, so the namespace's default ServiceAccount is made here.
    api.kubectl(null, "create", "serviceaccount", "default", "-n", name).orThrow();
    return new TestNamespace(api, name);
  }

  String name() {
    return name;
  }

  /** Runs kubectl in this namespace and fails on a non-zero exit. */
  void kubectl(String stdin, String... args) {
    api.kubectl(stdin, inThisNamespace(args)).orThrow();
  }

  /** {@code kubectl apply -f -} of {@code yaml} in this namespace. */
  void apply(String yaml) {
    kubectl(yaml, "apply", "-f", "-");
  }

  /** The output of kubectl with {@code args} in this namespace; fails on a non-zero exit. */
  String output(String... args) {
    return api.kubectl(null, inThisNamespace(args)).orThrow().stdout();
  }

  /** Prints {@code kubectl get wasmplugins -o wide} and {@code kubectl describe} of one plugin. */
  void printWideAndDescribe(String situation, String plugin) {
    System.out.println(
        "$ kubectl get wasmplugins -o wide"
            + situation
            + "\n"
            + output("get", "wasmplugins", "-o", "wide"));
    System.out.println(
        "$ kubectl describe wasmplugin "
            + plugin
            + "\n"
            + output("describe", "wasmplugin", plugin));
  }

  private String[] inThisNamespace(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("-n");
    all.add(name);
    return all.toArray(new String[0]);
  }

  /** {@code kubectl get <resource> -o jsonpath=<path>} in this namespace. */
  String jsonpath(String resource, String path) {
    return api.kubectl(null, "get", resource, "-n", name, "-o", "jsonpath=" + path).stdout();
  }

  /** Creates a Pod that no kubelet runs: its labels are what the operator reads. */
  void pod(String pod, String labels) {
    kubectl(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, labels: {%s}}
        spec:
          serviceAccountName: default
          containers: [{name: app, image: registry.example/app:1}]
        """
            .formatted(pod, labels),
        "apply",
        "-f",
        "-");
  }

  /** Creates or replaces a docker-registry Secret {@code name} for {@code registry} here. */
  void dockerSecret(OciRegistry registry, String name, String password) {
    apply(
        output(
            "create",
            "secret",
            "docker-registry",
            name,
            "--docker-server=" + registry.host(),
            "--docker-username=" + OciRegistryExtension.USER,
            "--docker-password=" + password,
            "--dry-run=client",
            "-o",
            "yaml"));
  }

  /** Starts an operator in Kubernetes mode watching this namespace, holding its lease here. */
  WasmplaneOperator startOperator(String... extraFlags) throws IOException {
    Path kubeconfig = Chains.adminKubeconfig(api);
    List<String> flags = new ArrayList<>(List.of("--namespaces", name));
    flags.addAll(List.of(extraFlags));
    return Operators.start(kubeconfig, name, flags.toArray(new String[0]));
  }

  /**
   * A sidecar Envoy for {@code pod}, with an inbound HTTP listener "http" to {@code upstream}. When
   * the Pod exists, the proxy sends a token bound to it, as a projected ServiceAccount token volume
   * gives a real sidecar.
   */
  Envoy proxy(
      EnvoyExtension envoys, String pod, WasmplaneOperator operator, EchoUpstream upstream) {
    return envoys.start(
        sidecar(pod, operator.xdsPort(), operator.httpPort())
            .cluster("app", upstream.port())
            .inbound("http", "HTTP", 8080, "app")
            .template());
  }

  /**
   * The bootstrap of a sidecar of {@code pod}: TLS to the xDS port, verified with the CA the
   * operator keeps in this namespace, and its Pod's token if the Pod exists.
   */
  SidecarBootstrap sidecar(String pod, int xdsPort, int httpPort) {
    SidecarBootstrap bootstrap =
        SidecarBootstrap.proxy(pod, name)
            .controlPlane(xdsPort, httpPort)
            .tls(xdsCa(), xdsServerName());
    if (api.kubectl(null, "get", "pod", pod, "-n", name).exitCode() == 0) {
      Path sds = tokenSecret(token(pod, "wasmplane"));
      bootstrap.token(sds, sds.getParent());
    }
    return bootstrap;
  }

  /** The name the operator's xDS certificate is for, as a sidecar dials it. */
  String xdsServerName() {
    return "wasmplane." + name + ".svc";
  }

  /** The CA of the operator's xDS certificate, from the Secret it keeps in this namespace. */
  Path xdsCa() {
    String base64 = jsonpath("secret/wasmplane-xds-tls", "{.data.ca\\.crt}");
    try {
      Path file = Files.createTempFile("xds-ca-", ".crt");
      Files.write(file, java.util.Base64.getDecoder().decode(base64.trim()));
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A token of the default ServiceAccount bound to Pod {@code pod}, for {@code audience}. */
  String token(String pod, String audience) {
    return output(
            "create",
            "token",
            "default",
            "--audience",
            audience,
            "--bound-object-kind",
            "Pod",
            "--bound-object-name",
            pod,
            "--duration",
            "1h")
        .trim();
  }

  /**
   * Lays {@code token} out as kubelet lays out a projected volume ({@code token -> ..data/token},
   * {@code ..data -> a timestamped directory}) and returns the SDS file, beside it, that names it.
   */
  static Path tokenSecret(String token) {
    try {
      Path dir = Files.createTempDirectory("token-");
      rotateToken(dir, token);
      Files.createSymbolicLink(dir.resolve("token"), Path.of("..data", "token"));
      Path sds = dir.resolve("token-sds.yaml");
      Files.writeString(sds, SidecarBootstrap.tokenSecret(dir.resolve("token")));
      return sds;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Puts {@code token} in place as kubelet rotates a projected token: into a fresh directory, then
   * an atomic rename of the {@code ..data} symlink to it.
   */
  static void rotateToken(Path dir, String token) throws IOException {
    Path fresh = Files.createTempDirectory(dir, "..token-");
    Files.writeString(fresh.resolve("token"), token);
    Path link = dir.resolve("..data_tmp");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, fresh.getFileName());
    Files.move(link, dir.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    api.kubectl(null, "delete", "namespace", name, "--wait=false");
  }
}
