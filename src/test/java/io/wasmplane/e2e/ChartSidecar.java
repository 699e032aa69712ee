package io.wasmplane.e2e;

import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.KubeApiServer;
import java.nio.file.Files;
import java.nio.file.Path;

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

  static String bootstrap(KubeApiServer api, WasmplaneOperator operator, EchoUpstream upstream) {
    String configMap =
        api.kubectl(
                null,
                "get",
                "configmap",
                "wasmplane-sidecar-bootstrap",
                "-n",
                "wasmplane-system",
                "-o",
                "jsonpath={.data.envoy\\.yaml}")
            .orThrow()
            .stdout();
    // What the documented Pod mounts: the ConfigMap at /etc/wasmplane and a projected token for
    // audience wasmplane at /var/run/secrets/wasmplane.
    Path mounted = TestNamespace.tokenSecret(podToken(api));
    Path tokenDir = mounted.getParent();
    String sds =
        api.kubectl(
                null,
                "get",
                "configmap",
                "wasmplane-sidecar-bootstrap",
                "-n",
                "wasmplane-system",
                "-o",
                "jsonpath={.data.token-sds\\.yaml}")
            .orThrow()
            .stdout();
    try {
      Files.writeString(mounted, sds.replace("/var/run/secrets/wasmplane", tokenDir.toString()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return configMap
        .replace("/etc/wasmplane/token-sds.yaml", mounted.toString())
        .replace("/var/run/secrets/wasmplane", tokenDir.toString())
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
  }
}
