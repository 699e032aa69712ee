package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.Htpasswd;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator against a real kube-apiserver: kubectl changes what a real Envoy runs. */
@ExtendWith({KubeApiServerExtension.class, OciRegistryExtension.class})
class KubernetesModeIT {
  private static final Duration CONVERGE = Duration.ofSeconds(40);

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();
  private KubeApiServer api;
  private TestNamespace ns;
  private String namespace;
  private WasmplaneOperator operator;
  private EchoUpstream upstream;

  @BeforeAll
  static void installCrd(KubeApiServer api) {
    Chains.installCrd(api);
  }

  @BeforeEach
  void start(KubeApiServer api) throws Exception {
    this.api = api;
    ns = TestNamespace.create(api, "k8s");
    namespace = ns.name();
    operator = ns.startOperator();
    upstream = EchoUpstream.start();
  }

  @AfterEach
  void stop() throws Exception {
    operator.close();
    upstream.close();
    ns.close();
  }

  private static void awaitChain(Envoy envoy, String... marks) {
    Chains.await(envoy, "http", CONVERGE, marks);
  }

  private String chainPlugins() {
    String selector = "selector: {matchLabels: {istio: ingressgateway}}\n";
    return String.join(
        "---\n",
        Plugins.chain(namespace, "openid-connect", selector + "phase: AUTHN"),
        Plugins.chain(namespace, "acl-check", selector + "phase: AUTHZ\npriority: 1000"),
        Plugins.chain(namespace, "check-header", selector + "phase: AUTHZ\npriority: 10"));
  }

  @Test
  void kubectlApplyPatchAndDeleteChangeTheLiveChainAndStatusReportsIt() throws Exception {
    ns.pod("gw-1", "istio: ingressgateway");
    Envoy envoy = ns.proxy(envoys, "gw-1", operator, upstream);
    ns.apply(chainPlugins());

    awaitChain(envoy, mark("openid-connect"), mark("acl-check"), mark("check-header"));
    awaitStatus(
        "acl-check",
        "{.status.conditions[?(@.type==\"Programmed\")].status} {.status.proxies.acked}",
        "True 1");
    ns.printWideAndDescribe("", "acl-check");

    ns.kubectl(
        null,
        "patch",
        "wasmplugin",
        "check-header",
        "--type=merge",
        "-p",
        "{\"spec\":{\"priority\":5000}}");
    awaitChain(envoy, mark("openid-connect"), mark("check-header"), mark("acl-check"));
    awaitStatus(
        "check-header",
        "{.status.observedGeneration} {.status.conditions[?(@.type==\"Programmed\")].reason}",
        "2 Programmed");
    // Status was never written ahead of the configuration: no plugin was ever shown as invalid.
    assertThat(
            ns.output(
                "get",
                "events",
                "--field-selector",
                "type=Warning",
                "-o",
                "jsonpath={range .items[*]}{.involvedObject.name}: {.reason} {end}"))
        .isEmpty();

    ns.kubectl(null, "delete", "wasmplugin", "acl-check");
    awaitChain(envoy, mark("openid-connect"), mark("check-header"));
  }

  @Test
  void withNamespacesListedTheRootNamespaceIsStillWatched() throws Exception {
    try (TestNamespace root = TestNamespace.create(api, "root")) {
      operator.close();
      operator = ns.startOperator("--root-namespace", root.name());
      ns.pod("app-1", "app: web");
      Envoy envoy = ns.proxy(envoys, "app-1", operator, upstream);
      root.apply(Plugins.chain(root.name(), "mesh-wide", "selector: {matchLabels: {app: web}}"));
      ns.apply(Plugins.chain(namespace, "local", "priority: -10"));

      awaitChain(envoy, mark("mesh-wide"), mark("local"));
    }
  }

  @Test
  void aPodLabelChangeMovesItsProxyIntoAndOutOfASelector() throws Exception {
    ns.pod("gw-1", "istio: ingressgateway");
    Envoy envoy = ns.proxy(envoys, "gw-1", operator, upstream);
    ns.apply(chainPlugins());
    awaitChain(envoy, mark("openid-connect"), mark("acl-check"), mark("check-header"));

    ns.kubectl(null, "label", "pod", "gw-1", "istio=other", "--overwrite");
    awaitChain(envoy);

    ns.kubectl(null, "label", "pod", "gw-1", "istio=ingressgateway", "--overwrite");
    awaitChain(envoy, mark("openid-connect"), mark("acl-check"), mark("check-header"));
  }

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

    dockerSecret(registry, "pull", OciRegistryExtension.PASSWORD);

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

  /** Waits until {@code jsonpath} on WasmPlugin {@code plugin} reads {@code expected}. */
  private void awaitStatus(String plugin, String jsonpath, String expected) {
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> assertThat(ns.jsonpath("wasmplugin/" + plugin, jsonpath)).isEqualTo(expected));
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

  /** Creates or replaces a docker-registry Secret for {@code registry} in the test namespace. */
  private void dockerSecret(OciRegistry registry, String name, String password) {
    String yaml =
        ns.output(
            "create",
            "secret",
            "docker-registry",
            name,
            "--docker-server=" + registry.host(),
            "--docker-username=" + OciRegistryExtension.USER,
            "--docker-password=" + password,
            "--dry-run=client",
            "-o",
            "yaml");
    ns.apply(yaml);
  }

  @Test
  void fixingAPullSecretReconcilesExactlyThePluginsThatNameIt(@Htpasswd OciRegistry registry)
      throws Exception {
    PushedImage image = pushChain(registry, "k8s/rotate-" + namespace);
    ns.pod("app-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "app-1", operator, upstream);
    dockerSecret(registry, "pull", "wrong-password");
    dockerSecret(registry, "unrelated", OciRegistryExtension.PASSWORD);
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

    dockerSecret(registry, "pull", OciRegistryExtension.PASSWORD);

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
