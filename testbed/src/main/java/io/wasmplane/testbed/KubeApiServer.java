package io.wasmplane.testbed;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A real kube-apiserver backed by a real etcd, both on loopback ports.
 *
 * <p>Clients authenticate with a static bearer token of a {@code system:masters} user.
 * Authorization is RBAC, so impersonated identities get exactly the permissions granted to them.
 * The apiserver can be stopped and started again on the same port and etcd, to test outages.
 */
public final class KubeApiServer implements AutoCloseable {
  private final Path dir;
  private final int etcdPort;
  private final int etcdPeerPort;
  private final int securePort;
  private final String token = UUID.randomUUID().toString();
  private ComponentProcess etcd;
  private ComponentProcess apiserver;

  private KubeApiServer(Path dir) {
    this.dir = dir;
    this.etcdPort = LoopbackPorts.free();
    this.etcdPeerPort = LoopbackPorts.free();
    this.securePort = LoopbackPorts.free();
  }

  /** Starts etcd and kube-apiserver and waits until the apiserver is ready. */
  public static KubeApiServer start() {
    try {
      Path shm = Path.of("/dev/shm");
      Path dir =
          Files.isWritable(shm)
              ? Files.createTempDirectory(shm, "wasmplane-kube-")
              : Files.createTempDirectory("wasmplane-kube-");
      KubeApiServer server = new KubeApiServer(dir);
      try {
        server.writeCredentials();
        server.startEtcd();
        server.startApiServer();
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String url() {
    return "https://127.0.0.1:" + securePort;
  }

  public String token() {
    return token;
  }

  /** A kubeconfig file for the admin user. */
  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  /** Kubeconfig text for the admin user. */
  public String kubeconfigYaml() {
    return kubeconfigYaml(token);
  }

  /**
   * Kubeconfig text that authenticates with {@code bearerToken}, e.g. a ServiceAccount's token from
   * {@code kubectl create token}, so the apiserver authorizes the requests as that account.
   */
  public String kubeconfigYaml(String bearerToken) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: testbed
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        users:
        - name: testbed
          user:
            token: %s
        contexts:
        - name: testbed
          context:
            cluster: testbed
            user: testbed
            namespace: default
        current-context: testbed
        """
        .formatted(url(), bearerToken);
  }

  /** Runs kubectl against this apiserver; {@code stdin} may be null. */
  public CommandResult kubectl(String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Toolchain.kubectl().toString());
    command.add("--kubeconfig=" + kubeconfig());
    command.addAll(List.of(args));
    return Commands.run(command, stdin, 60);
  }

  public String logTail(int lines) {
    String api = apiserver == null ? "" : apiserver.logTail(lines);
    String db = etcd == null ? "" : etcd.logTail(lines / 3);
    return "---- kube-apiserver ----\n" + api + "\n---- etcd ----\n" + db;
  }

  /** Stops the apiserver only, leaving etcd and its data in place. */
  public void stopApiServer() {
    if (apiserver != null) {
      apiserver.close();
      apiserver = null;
    }
  }

  /** Starts the apiserver again on the same port and etcd. */
  public void startApiServer() {
    Path certDir = dir.resolve("certs");
    apiserver =
        ComponentProcess.start(
            "kube-apiserver",
            List.of(
                Toolchain.kubeApiServer().toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + securePort,
                "--cert-dir=" + certDir,
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + dir.resolve("sa.key"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/24",
                "--disable-admission-plugins=ServiceAccount",
                "--endpoint-reconciler-type=none",
                "--allow-privileged=true",
                "--v=1"),
            Map.of(),
            dir.resolve("kube-apiserver.log"));
    HttpClient client = insecureClient();
    await("kube-apiserver /readyz")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsMatching(e -> e instanceof IOException)
        .until(
            () -> {
              apiserver.checkAlive();
              HttpResponse<String> response =
                  client.send(
                      HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                          .header("Authorization", "Bearer " + token)
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              return response.statusCode() == 200;
            });
  }

  private void writeCredentials() throws IOException {
    Files.writeString(
        dir.resolve("tokens.csv"), token + ",wasmplane-admin,wasmplane-admin,\"system:masters\"\n");
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
      String pem =
          "-----BEGIN PRIVATE KEY-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
              + "\n-----END PRIVATE KEY-----\n";
      Files.writeString(dir.resolve("sa.key"), pem);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Files.writeString(kubeconfig(), kubeconfigYaml());
  }

  private void startEtcd() {
    String client = "http://127.0.0.1:" + etcdPort;
    String peer = "http://127.0.0.1:" + etcdPeerPort;
    etcd =
        ComponentProcess.start(
            "etcd",
            List.of(
                Toolchain.etcd().toString(),
                "--name=testbed",
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=testbed=" + peer,
                "--log-level=warn"),
            Map.of("ETCD_UNSUPPORTED_ARCH", ""),
            dir.resolve("etcd.log"));
    HttpClient http = HttpClient.newHttpClient();
    await("etcd /health")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(e -> e instanceof IOException)
        .until(
            () -> {
              etcd.checkAlive();
              return http.send(
                      HttpRequest.newBuilder(URI.create(client + "/health")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body()
                  .contains("true");
            });
  }

  private static HttpClient insecureClient() {
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      TrustManager trustAll =
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          };
      ssl.init(null, new TrustManager[] {trustAll}, new SecureRandom());
      return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stopApiServer();
    if (etcd != null) {
      etcd.close();
    }
    TempDirs.delete(dir);
  }
}
