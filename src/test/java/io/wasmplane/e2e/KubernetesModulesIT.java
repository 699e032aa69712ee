package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.Htpasswd;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.OciRegistryExtension;
import io.wasmplane.testbed.PushedImage;
import io.wasmplane.testbed.WasmFixtures;
import io.wasmplane.testbed.WasmImageFormat;
import io.wasmplane.testbed.WasmImages;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Kubernetes mode's modules: pull secrets, checksum failures and edits the proxy rejects. */
@ExtendWith(OciRegistryExtension.class)
class KubernetesModulesIT extends KubernetesFixture {
  @Test
  void aMissingPullSecretIsReportedAndCreatingItHealsThePlugin(@Htpasswd OciRegistry registry)
      throws Exception {
    PushedImage image = pushChain(registry, "k8s/private-" + namespace);
    ns.pod("app-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "app-1", operator, upstream);
    ns.apply(privatePlugin(image, ""));

    awaitStatus(
        "private", "{.status.conditions[?(@.type==\"ModuleReady\")].reason}", "PullSecretNotFound");
    ns.printWideAndDescribe(" (failing)", "private");

    ns.dockerSecret(registry, "pull", OciRegistryExtension.PASSWORD);

    awaitChain(envoy, mark("private"));
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(
                        ns.output(
                            "get",
                            "events",
                            "--field-selector",
                            "involvedObject.name=private",
                            "-o",
                            "jsonpath={range .items[*]}{.type}/{.reason} {end}"))
                    .contains("Warning/PullSecretNotFound", "Normal/Fetched"));
  }

  /** Reconciles so far of each WasmPlugin in this namespace, from the operator's metrics. */
  private Map<String, Long> reconciles() throws Exception {
    String metrics = OperatorHttp.get(operator.httpPort(), "/metrics");
    Pattern line =
        Pattern.compile(
            "wasmplane_plugin_reconciles_total\\{namespace=\""
                + namespace
                + "\",name=\"([^\"]+)\"} (\\d+)");
    Map<String, Long> counts = new TreeMap<>();
    Matcher m = line.matcher(metrics);
    while (m.find()) {
      counts.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return counts;
  }

  /** A FAIL_OPEN plugin "private" running {@code image} with the pull Secret "pull". */
  private static String privatePlugin(PushedImage image, String extraSpec) {
    return """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: private}
        spec:
          url: oci://%s
          imagePullSecret: pull
          failStrategy: FAIL_OPEN
          pluginConfig: {name: private}
        %s"""
        .formatted(image.reference(), extraSpec.indent(2));
  }

  /** Pushes the header-chain module to {@code repository}:v1 as an OCI Wasm image. */
  private static PushedImage pushChain(OciRegistry registry, String repository) throws Exception {
    return WasmImages.push(
        registry,
        repository,
        "v1",
        WasmFixtures.bytes(WasmFixtures.HEADER_CHAIN),
        WasmImageFormat.OCI_WASM_LAYER);
  }

  @Test
  void fixingAPullSecretReconcilesExactlyThePluginsThatNameIt(@Htpasswd OciRegistry registry)
      throws Exception {
    PushedImage image = pushChain(registry, "k8s/rotate-" + namespace);
    ns.pod("app-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "app-1", operator, upstream);
    ns.dockerSecret(registry, "pull", "wrong-password");
    ns.dockerSecret(registry, "unrelated", OciRegistryExtension.PASSWORD);
    ns.apply(
        privatePlugin(image, "priority: 30\n")
            + "---\n"
            + Plugins.chain(namespace, "neighbour", "imagePullSecret: unrelated\npriority: 20")
            + "---\n"
            + Plugins.chain(namespace, "open", "priority: 10"));

    awaitChain(envoy, mark("neighbour"), mark("open"));
    awaitStatus("private", "{.status.conditions[?(@.type==\"ModuleReady\")].status}", "False");
    Map<String, Long> before = reconciles();
    assertThat(before).containsOnlyKeys("private", "neighbour", "open");

    ns.dockerSecret(registry, "pull", OciRegistryExtension.PASSWORD);

    awaitChain(envoy, mark("private"), mark("neighbour"), mark("open"));
    assertThat(reconciles().get("private")).isGreaterThan(before.get("private"));
    // The Secret event fanned out at once; had it reached the others, they would show it by now.
    await("no reconcile of the plugins that do not name the Secret")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              Map<String, Long> now = reconciles();
              return now.get("neighbour").equals(before.get("neighbour"))
                  && now.get("open").equals(before.get("open"));
            });
  }

  @Test
  void anEditTheProxyRejectsIsReportedWithItsMessageAndTheLastGoodVersionKeepsServing()
      throws Exception {
    ns.pod("app-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "app-1", operator, upstream);
    ns.apply(
        Plugins.chain(namespace, "healthy", "priority: 10")
            + "---\n"
            + Plugins.chain(namespace, "edited", "priority: 20"));
    awaitChain(envoy, mark("edited"), mark("healthy"));

    // A module path that is not in the proxy: Envoy cannot load it and rejects the update.
    ns.kubectl(
        null,
        "patch",
        "wasmplugin",
        "edited",
        "--type=merge",
        "-p",
        "{\"spec\":{\"url\":\"file:///nonexistent/edited.wasm\"}}");

    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> {
              assertThat(
                      ns.jsonpath(
                          "wasmplugin/edited",
                          "{.status.conditions[?(@.type==\"Programmed\")].reason}"))
                  .isEqualTo("Rejected");
              assertThat(ns.jsonpath("wasmplugin/edited", "{.status.lastNackMessage}"))
                  .startsWith("app-1." + namespace + ": ")
                  .contains("/nonexistent/edited.wasm");
              assertThat(ns.jsonpath("wasmplugin/edited", "{.status.proxies.nacked}"))
                  .isEqualTo("1");
            });
    // The NACK is the edited plugin's alone: the one beside it is still programmed.
    assertThat(
            ns.jsonpath(
                "wasmplugin/healthy",
                "{.status.conditions[?(@.type==\"Programmed\")].reason}"
                    + " {.status.proxies.nacked}"))
        .isEqualTo("Programmed 0");
    ns.printWideAndDescribe(" (an edit rejected by the proxy)", "edited");
    // Envoy keeps the version it last accepted: both plugins still run.
    awaitChain(envoy, mark("edited"), mark("healthy"));
  }

  @Test
  void aPluginWhoseModuleFailsVerificationIsReportedAndTheOthersKeepServing(OciRegistry registry)
      throws Exception {
    PushedImage image = pushChain(registry, "k8s/verify-" + namespace);
    ns.pod("app-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "app-1", operator, upstream);
    ns.apply(
        Plugins.chain(namespace, "healthy", "priority: 10")
            + "---\n"
            + """
            apiVersion: extensions.istio.io/v1alpha1
            kind: WasmPlugin
            metadata: {name: tampered}
            spec:
              url: oci://%s
              sha256: "%s"
              failStrategy: FAIL_OPEN
              pluginConfig: {name: tampered}
            """
                .formatted(image.reference(), "1".repeat(64)));

    awaitChain(envoy, mark("healthy"));
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(
                        ns.jsonpath(
                            "wasmplugin/tampered",
                            "{.status.conditions[?(@.type==\"ModuleReady\")].reason}: {.status.conditions[?(@.type==\"ModuleReady\")].message}"))
                    .startsWith("ChecksumMismatch: sha256 " + "1".repeat(64))
                    .contains(image.manifestDigest()));
    awaitChain(envoy, mark("healthy"));
  }
}
