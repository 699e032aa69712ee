package io.wasmplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import io.wasmplane.testbed.Toolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart with {@code watchNamespaces}: its RBAC, checked in a real apiserver, and the operator.
 */
@ExtendWith(KubeApiServerExtension.class)
class HelmWatchNamespacesIT {
  private static final Path CHART = Toolchain.repoRoot().resolve("charts/wasmplane");
  private static final String RELEASE = "wasmplane-scoped";
  private static final String SA = "system:serviceaccount:" + RELEASE + ":wasmplane";
  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
  private static final String WATCHED = "watched-" + SUFFIX;
  private static final String ROOT = "root-" + SUFFIX;
  private static final String OTHER = "other-" + SUFFIX;

  private static Path admin;

  @BeforeAll
  static void install(KubeApiServer api) throws Exception {
    admin = Chains.adminKubeconfig(api);
    // The chart's cluster-scoped objects have fixed names: another class's release goes first,
    // and this one leaves the CRD to the suite.
    Helm.uninstall("wasmplane")
        .withNamespace("wasmplane-system")
        .ignoreNotFound()
        .withKubeConfig(admin)
        .call();
    Chains.deleteCrd(api).orThrow();
    Chains.installCrd(api);
    for (String namespace : List.of(WATCHED, ROOT, OTHER)) {
      api.kubectl(null, "create", "namespace", namespace).orThrow();
    }
    Path values =
        Files.writeString(
            Files.createTempFile("values-", ".yaml"),
            "installCRD: false\nrootNamespace: %s\nwatchNamespaces: [%s]\n"
                .formatted(ROOT, WATCHED));
    new Helm(CHART)
        .install()
        .withName("wasmplane")
        .withNamespace(RELEASE)
        .createNamespace()
        .withValuesFile(values)
        .withKubeConfig(admin)
        .call();
  }

  @AfterAll
  static void uninstall(KubeApiServer api) {
    Helm.uninstall("wasmplane").withNamespace(RELEASE).withKubeConfig(admin).call();
    for (String namespace : List.of(WATCHED, ROOT, OTHER)) {
      api.kubectl(null, "delete", "namespace", namespace, "--wait=false");
    }
  }

  @Test
  void secretsAndPluginsAreReadableOnlyInTheWatchedAndRootNamespaces(KubeApiServer api) {
    for (String namespace : List.of(WATCHED, ROOT)) {
      assertCan(api, "yes", "get secrets", namespace);
      assertCan(api, "yes", "watch secrets", namespace);
      assertCan(api, "yes", "list wasmplugins.extensions.istio.io", namespace);
      assertCan(
          api, "yes", "patch wasmplugins.extensions.istio.io/x --subresource=status", namespace);
      assertCan(api, "yes", "watch trafficextensions.extensions.istio.io", namespace);
      assertCan(
          api,
          "yes",
          "patch trafficextensions.extensions.istio.io/x --subresource=status",
          namespace);
    }
    assertCan(api, "no", "get secrets", OTHER);
    assertCan(api, "no", "list wasmplugins.extensions.istio.io", OTHER);
    assertCan(api, "no", "get secrets", null);
    assertCan(api, "no", "list wasmplugins.extensions.istio.io", null);
    assertCan(api, "no", "list trafficextensions.extensions.istio.io", OTHER);
    assertCan(api, "no", "update trafficextensions.extensions.istio.io", WATCHED);
    assertCan(api, "no", "update secrets", WATCHED);
    // Proxies in any namespace are checked against their Pods and tokens.
    assertCan(api, "yes", "list pods", null);
    assertCan(api, "yes", "create tokenreviews.authentication.k8s.io", null);
    assertThat(api.kubectl(null, "get", "clusterrole", "wasmplane", "-o", "yaml").stdout())
        .contains("tokenreviews")
        .doesNotContain("secrets", "wasmplugins", "trafficextensions");
  }

  @Test
  void inTheReleaseNamespaceOnlyItsTlsSecretAndBootstrapConfigMapAreItsOwn(KubeApiServer api) {
    for (String verb : List.of("get", "update", "patch", "watch")) {
      assertCan(api, "yes", verb + " secrets/wasmplane-xds-tls", RELEASE);
      assertCan(api, "no", verb + " secrets/wasmplane-other", RELEASE);
    }
    assertCan(api, "yes", "create secrets", RELEASE);
    assertCan(api, "no", "list secrets", RELEASE);
    assertCan(api, "no", "delete secrets/wasmplane-xds-tls", RELEASE);
    for (String verb : List.of("get", "update", "patch")) {
      assertCan(api, "yes", verb + " configmaps/wasmplane-sidecar-bootstrap", RELEASE);
      assertCan(api, "no", verb + " configmaps/kube-root-ca.crt", RELEASE);
    }
    assertCan(api, "yes", "create configmaps", RELEASE);
    assertCan(api, "no", "list configmaps", RELEASE);
    assertCan(api, "no", "create secrets", WATCHED);
    assertThat(
            api.kubectl(null, "get", "secret", "wasmplane-xds-tls", "-n", RELEASE, "--as=" + SA)
                .stderr())
        .as("a name-restricted get reaches the apiserver's lookup")
        .contains("NotFound");
    assertThat(
            api.kubectl(null, "get", "secret", "wasmplane-other", "-n", RELEASE, "--as=" + SA)
                .stderr())
        .contains("Forbidden");
  }

  @Test
  void operatorWatchingOnlyThoseNamespacesRunsUnderTheChartsRoles(KubeApiServer api)
      throws Exception {
    for (String namespace : List.of(WATCHED, ROOT, OTHER)) {
      api.kubectl(Plugins.chain(namespace, "scoped", ""), "apply", "-f", "-").orThrow();
    }
    try (WasmplaneOperator operator =
        Operators.startAs(api, SA, RELEASE, "--namespaces", WATCHED, "--root-namespace", ROOT)) {
      for (String namespace : List.of(WATCHED, ROOT)) {
        await("Accepted in " + namespace)
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(accepted(api, namespace)).isEqualTo("True"));
      }
      assertThat(accepted(api, OTHER)).as("a namespace that is not watched").isEmpty();
    }
  }

  @Test
  void anOperatorThatMayNotReadTrafficExtensionsRefusesToStartInsteadOfDroppingThem(
      KubeApiServer api) {
    String[] patch = {"patch", "role", "wasmplane-watch", "-n", WATCHED, "--type=json", "-p", ""};
    try {
      patch[patch.length - 1] = resources("[\"wasmplugins\"]");
      api.kubectl(null, patch).orThrow();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertCan(api, "no", "list trafficextensions.extensions.istio.io", WATCHED));

      assertThatThrownBy(
              () ->
                  Operators.startAs(
                          api, SA, RELEASE, "--namespaces", WATCHED, "--root-namespace", ROOT)
                      .close())
          .hasMessageContaining("cannot read TrafficExtensions: listing them is forbidden");
    } finally {
      patch[patch.length - 1] = resources("[\"wasmplugins\", \"trafficextensions\"]");
      api.kubectl(null, patch).orThrow();
    }
  }

  /** A JSON patch setting the resources of the watch Role's first rule. */
  private static String resources(String list) {
    return "[{\"op\": \"replace\", \"path\": \"/rules/0/resources\", \"value\": " + list + "}]";
  }

  /** {@code kubectl auth can-i} as the chart's ServiceAccount; a null namespace means all. */
  private static void assertCan(
      KubeApiServer api, String expected, String verbAndResource, String namespace) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i"));
    args.addAll(List.of(verbAndResource.split(" ")));
    args.add("--as=" + SA);
    args.addAll(namespace == null ? List.of("-A") : List.of("-n", namespace));
    String answer = api.kubectl(null, args.toArray(new String[0])).stdout().trim();
    assertThat(answer).as("can %s %s in %s", SA, verbAndResource, namespace).isEqualTo(expected);
  }

  private static String accepted(KubeApiServer api, String namespace) {
    return Chains.jsonpath(
        api,
        namespace,
        "wasmplugin",
        "scoped",
        "{.status.conditions[?(@.type==\"Accepted\")].status}");
  }
}
