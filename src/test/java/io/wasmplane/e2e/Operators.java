package io.wasmplane.e2e;

import io.wasmplane.operator.CliOptions;
import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.KubeApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts Kubernetes-mode operators on loopback with free ports, for the Kubernetes ITs. */
final class Operators {
  private Operators() {}

  /**
   * Starts an operator reading the apiserver through {@code kubeconfig}, holding its lease in
   * {@code leaseNamespace}, with a fresh module cache and then {@code flags}.
   */
  static WasmplaneOperator start(Path kubeconfig, String leaseNamespace, String... flags)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--kubeconfig",
                kubeconfig.toString(),
                "--leader-election-namespace",
                leaseNamespace,
                "--xds-port",
                "0",
                "--http-port",
                "0",
                "--bind-address",
                "127.0.0.1",
                "--module-cache-dir",
                Files.createTempDirectory("modules-").toString()));
    args.addAll(List.of(flags));
    return WasmplaneOperator.start(CliOptions.parse(args));
  }

  /**
   * Starts an operator as the chart's ServiceAccount {@code serviceAccount} (a full {@code
   * system:serviceaccount:<namespace>:<name>} user) of {@code release}, holding its lease there. It
   * authenticates with a token of that account, so the apiserver authorizes every request it makes
   * with the account's RBAC.
   */
  static WasmplaneOperator startAs(
      KubeApiServer api, String serviceAccount, String release, String... flags)
      throws IOException {
    String[] parts = serviceAccount.split(":");
    String token =
        api.kubectl(null, "create", "token", parts[3], "-n", parts[2], "--duration=2h")
            .orThrow()
            .stdout()
            .trim();
    Path asServiceAccount = Files.createTempFile("kubeconfig-sa-", ".yaml");
    Files.writeString(asServiceAccount, api.kubeconfigYaml(token));
    return start(asServiceAccount, release, flags);
  }
}
