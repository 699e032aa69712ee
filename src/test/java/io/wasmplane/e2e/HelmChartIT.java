package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.CommandResult;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import io.wasmplane.testbed.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Helm chart and the plain manifests, linted, rendered and installed into a real apiserver. */
@ExtendWith(KubeApiServerExtension.class)
class HelmChartIT {
  private static final Path CHART = Toolchain.repoRoot().resolve("charts/wasmplane");
  private static final String SA = "system:serviceaccount:wasmplane-system:wasmplane";

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();

  @Test
  void lintsAndRendersWithDefaultAndCustomValues() throws Exception {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    LintResult customLint = new Helm(CHART).lint().strict().call();
    assertThat(customLint.isFailed()).as("%s", customLint.getMessages()).isFalse();

    String defaults =
        new Helm(CHART).template().withName("wasmplane").withNamespace("wasmplane-system").call();
    assertThat(defaults)
        .contains(
            "kind: Deployment",
            "kind: Service",
            "kind: ServiceAccount",
            "kind: ClusterRole",
            "kind: PodDisruptionBudget",
            "kind: ConfigMap",
            "kind: NetworkPolicy",
            "kind: CustomResourceDefinition",
            "readOnlyRootFilesystem: true",
            "runAsNonRoot: true",
            "path: /readyz",
            "path: /healthz",
            "--xds-tls-secret=wasmplane-xds-tls",
            "sni: wasmplane.wasmplane-system.svc",
            "envoy.filters.http.credential_injector")
        .doesNotContain("kind: PersistentVolumeClaim", "--xds-plaintext", "kind: Certificate");

    String custom =
        new Helm(CHART)
            .template()
            .withName("wasmplane")
            .withNamespace("mesh")
            .set("replicas", 3)
            .set("installCRD", false)
            .set("moduleCache.type", "pvc")
            .set("networkPolicy.enabled", false)
            .withValuesFile(
                Files.writeString(
                    Files.createTempFile("values-", ".yaml"),
                    "watchNamespaces: [shop, payments]\n"))
            .set("leaderElection.namespace", "mesh-leases")
            .set("rootNamespace", "mesh-root")
            .call();
    assertThat(custom)
        .contains(
            "replicas: 3",
            "kind: PersistentVolumeClaim",
            "--namespaces=shop,payments",
            "--leader-election-namespace=mesh-leases",
            "--root-namespace=mesh-root",
            "namespace: mesh-leases")
        .doesNotContain("kind: CustomResourceDefinition", "kind: NetworkPolicy");

    String certManager = renderInMesh("xdsTls.certManager", true);
    assertThat(certManager)
        .contains("kind: Certificate", "kind: Issuer", "--xds-tls-external-issuer")
        .contains("secretName: wasmplane-xds-tls", "- wasmplane.mesh.svc");
    String plaintext = renderInMesh("xdsTls.enabled", false);
    assertThat(plaintext)
        .contains("--xds-plaintext")
        .doesNotContain("UpstreamTlsContext", "ca-sds.yaml", "kind: Certificate");
  }

  @Test
  void plainManifestsInDeployEqualTheChartsDefaultRendering() throws Exception {
    String rendered =
        new Helm(CHART).template().withName("wasmplane").withNamespace("wasmplane-system").call();
    Path file = Toolchain.repoRoot().resolve("deploy/wasmplane.yaml");
    String header = "# Generated from charts/wasmplane with default values; do not edit.\n";
    if (Boolean.getBoolean("manifests.update")) {
      Files.writeString(file, header + rendered);
    }
    assertThat(Files.readString(file))
        .as(
            "deploy/wasmplane.yaml drifted from the chart; regenerate it with -Dmanifests.update=true")
        .isEqualTo(header + rendered);
  }

  @Test
  void installsAndRunsAsItsServiceAccountWithOnlyWhatItNeeds(KubeApiServer api) throws Exception {
    Chains.deleteCrd(api);
    Path admin = Chains.adminKubeconfig(api);
    new Helm(CHART)
        .install()
        .withName("wasmplane")
        .withNamespace("wasmplane-system")
        .createNamespace()
        .withKubeConfig(admin)
        .call();
    api.kubectl(
            null,
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/wasmplugins.extensions.istio.io",
            "crd/trafficextensions.extensions.istio.io")
        .orThrow();
    for (String object :
        List.of(
            "deployment/wasmplane",
            "service/wasmplane",
            "serviceaccount/wasmplane",
            "poddisruptionbudget/wasmplane",
            "configmap/wasmplane-sidecar-bootstrap",
            "networkpolicy/wasmplane",
            "role/wasmplane-leader-election",
            "rolebinding/wasmplane-leader-election",
            "role/wasmplane-xds-tls",
            "rolebinding/wasmplane-xds-tls")) {
      api.kubectl(null, "get", object, "-n", "wasmplane-system").orThrow();
    }
    api.kubectl(null, "get", "clusterrole/wasmplane", "clusterrolebinding/wasmplane").orThrow();

    for (String denied :
        List.of(
            "list configmaps",
            "create secrets",
            "update secrets",
            "delete pods",
            "update wasmplugins",
            "update trafficextensions")) {
      String[] words = denied.split(" ");
      CommandResult canI =
          api.kubectl(null, "auth", "can-i", words[0], words[1], "--as=" + SA, "-A");
      assertThat(canI.stdout().trim()).as("can %s %s", SA, denied).isEqualTo("no");
    }
    assertThat(
            api.kubectl(null, "get", "configmaps", "-n", "wasmplane-system", "--as=" + SA).stderr())
        .contains("Forbidden");

    api.kubectl(null, "create", "namespace", "rbac-shop").orThrow();
    api.kubectl(null, "create", "serviceaccount", "default", "-n", "rbac-shop").orThrow();
    api.kubectl(
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, namespace: rbac-shop, labels: {app: web}}
            spec:
              serviceAccountName: default
              containers: [{name: app, image: registry.example/app:1}]
            """,
            "apply",
            "-f",
            "-")
        .orThrow();
    api.kubectl(Plugins.chain("rbac-shop", "guarded", ""), "apply", "-f", "-").orThrow();
    api.kubectl(
            Plugins.luaExtension("rbac-shop", "guarded-lua", mark("guarded-lua"), "phase: AUTHN"),
            "apply",
            "-f",
            "-")
        .orThrow();
    try (WasmplaneOperator operator = Operators.startAs(api, SA, "wasmplane-system");
        EchoUpstream upstream = EchoUpstream.start()) {
      String bootstrap = ChartSidecar.bootstrap(api, operator, upstream);
      Envoy envoy =
          envoys.start(
              bootstrap,
              Map.of(),
              List.of(
                  "--service-node",
                  "web-1.rbac-shop",
                  "--config-yaml",
                  "{node: {metadata: {NAMESPACE: \"rbac-shop\"}}}"));

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(Traffic.get(envoy.port("inbound-http")).chain())
                      .containsExactly(mark("guarded-lua"), mark("guarded")));
      for (String plugin : List.of("wasmplugin/guarded", "trafficextension/guarded-lua")) {
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () ->
                    assertThat(
                            api.kubectl(
                                    null,
                                    "get",
                                    plugin,
                                    "-n",
                                    "rbac-shop",
                                    "-o",
                                    "jsonpath={.status.conditions[?(@.type==\"Programmed\")].status}")
                                .stdout())
                        .as(plugin)
                        .isEqualTo("True"));
      }
      assertThat(
              api.kubectl(
                      null,
                      "get",
                      "lease",
                      "wasmplane-status",
                      "-n",
                      "wasmplane-system",
                      "-o",
                      "jsonpath={.spec.holderIdentity}")
                  .stdout())
          .isNotEmpty();
      // The replica's proxy report, which the chart's Role lets it keep beside the status lease.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          api.kubectl(
                                  null,
                                  "get",
                                  "leases",
                                  "-n",
                                  "wasmplane-system",
                                  "-l",
                                  "wasmplane.io/report=proxies",
                                  "-o",
                                  "jsonpath={.items[*].metadata.annotations.wasmplane\\.io/proxies}")
                              .stdout())
                      .contains("\"selected\":1"));
    }
  }

  /** The chart's sidecar bootstrap, pointed at the in-process operator on loopback. */

  /** The chart rendered as release "wasmplane" in namespace "mesh" with one value set. */
  private static String renderInMesh(String key, Object value) {
    return new Helm(CHART)
        .template()
        .withName("wasmplane")
        .withNamespace("mesh")
        .set(key, value)
        .call();
  }
}
