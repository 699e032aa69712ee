package io.wasmplane.e2e;

import static org.awaitility.Awaitility.await;

import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.KubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The chart's sidecar bootstrap as the documented Pod runs it, pointed at a test operator: its
 * ConfigMap's files where the Pod mounts them, and a Pod-bound token where kubelet projects it.
 */
final class ChartSidecar {
  private ChartSidecar() {}

  /** The token kubelet would project for web-1: bound to the Pod, for audience wasmplane. */
  private static String podToken(KubeApiServer api) {
    return api.kubectl(
            null,
            "create",
            "token",
            "default",
            "-n",
            "rbac-shop",
            "--audience",
            "wasmplane",
            "--bound-object-kind",
            "Pod",
            "--bound-object-name",
            "web-1")
        .orThrow()
        .stdout()
        .trim();
  }

  /**
   * The chart's {@code envoy.yaml} with every file of the ConfigMap (including the {@code ca.crt}
   * the operator publishes there, once it has) where the Pod would mount them.
   */
  static String bootstrap(KubeApiServer api, WasmplaneOperator operator, EchoUpstream upstream) {
    await().atMost(Duration.ofSeconds(60)).until(() -> !configMapFile(api, "ca.crt").isBlank());
    Path tokenSds = TestNamespace.tokenSecret(podToken(api));
    Path tokenDir = tokenSds.getParent();
    try {
      // What the documented Pod mounts: the ConfigMap at /etc/wasmplane and a projected token
      // for audience wasmplane at /var/run/secrets/wasmplane.
      Path etc = Files.createTempDirectory("etc-wasmplane-");
      for (String file : List.of("token-sds.yaml", "ca-sds.yaml", "ca.crt")) {
        Files.writeString(etc.resolve(file), mounted(api, file, etc, tokenDir));
      }
      return mounted(api, "envoy.yaml", etc, tokenDir)
          .replace("type: STRICT_DNS", "type: STATIC")
          .replace(
              "wasmplane.wasmplane-system.svc, port_value: 15010",
              "127.0.0.1, port_value: " + operator.xdsPort())
          .replace(
              "wasmplane.wasmplane-system.svc, port_value: 15014",
              "127.0.0.1, port_value: " + operator.httpPort())
          .replace("port_value: 8080}", "port_value: " + upstream.port() + "}")
          .replace("port: 15006,", "port: {{port:inbound-http}}, address: 127.0.0.1,")
          .replace("port_value: 15000}", "port_value: {{admin_port}}}");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A file of the ConfigMap with the mount paths pointed at {@code etc} and {@code tokenDir}. */
  private static String mounted(KubeApiServer api, String file, Path etc, Path tokenDir) {
    return configMapFile(api, file)
        .replace("/etc/wasmplane", etc.toString())
        .replace("/var/run/secrets/wasmplane", tokenDir.toString());
  }

  private static String configMapFile(KubeApiServer api, String file) {
    return Chains.jsonpath(
        api,
        "wasmplane-system",
        "configmap",
        "wasmplane-sidecar-bootstrap",
        "{.data." + file.replace(".", "\\.") + "}");
  }
}
