package io.wasmplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.testbed.CommandResult;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.Toolchain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** Shared waits and cluster setup for the end-to-end tests. */
final class Chains {
  private Chains() {}

  /**
   * Waits until a request through {@code listener} succeeds and the header-chain plugins that ran
   * are exactly {@code marks}, in order.
   */
  static void await(Envoy envoy, String listener, Duration atMost, String... marks) {
    org.awaitility.Awaitility.await("chain on " + listener)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Traffic.Reply reply = Traffic.get(envoy.port(listener));
              assertThat(reply.status()).as(reply.body()).isEqualTo(200);
              assertThat(reply.chain()).containsExactly(marks);
            });
  }

  /**
   * Sends {@code requests} requests through {@code listener} and asserts that every one succeeded
   * with exactly the header-chain plugins {@code marks}: none ran without them.
   */
  static void assertEveryRequest(Envoy envoy, String listener, int requests, String... marks) {
    for (int i = 0; i < requests; i++) {
      Traffic.Reply reply = Traffic.get(envoy.port(listener));
      assertThat(reply.status()).as("request %d: %s", i, reply.body()).isEqualTo(200);
      assertThat(reply.chain()).as("request %d ran the plugins", i).containsExactly(marks);
    }
  }

  /**
   * Applies the WasmPlugin and TrafficExtension CRDs from deploy/crds and waits until both are
   * Established.
   */
  static void installCrd(KubeApiServer api) {
    api.kubectl(
            null,
            "apply",
            "--server-side",
            "--force-conflicts",
            "-f",
            Toolchain.repoRoot().resolve("deploy/crds").toString())
        .orThrow();
    api.kubectl(
            null,
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/wasmplugins.extensions.istio.io",
            "crd/trafficextensions.extensions.istio.io")
        .orThrow();
  }

  /** Deletes the WasmPlugin and TrafficExtension CRDs, if there, and waits until they are gone. */
  static CommandResult deleteCrd(KubeApiServer api) {
    return api.kubectl(
        null,
        "delete",
        "crd",
        "wasmplugins.extensions.istio.io",
        "trafficextensions.extensions.istio.io",
        "--ignore-not-found",
        "--wait=true");
  }

  /** A copy of the apiserver's admin kubeconfig, in a file of its own. */
  static Path adminKubeconfig(KubeApiServer api) throws IOException {
    Path copy = Files.createTempFile("kubeconfig-", ".yaml");
    Files.copy(api.kubeconfig(), copy, StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  /** {@code kubectl get <kind> <name> -n <namespace> -o jsonpath=<path>}; fails on an error. */
  static String jsonpath(
      KubeApiServer api, String namespace, String kind, String name, String path) {
    return api.kubectl(null, "get", kind, name, "-n", namespace, "-o", "jsonpath=" + path)
        .orThrow()
        .stdout();
  }
}
