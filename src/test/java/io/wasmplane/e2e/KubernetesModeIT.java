package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.testbed.Envoy;
import org.junit.jupiter.api.Test;

/** The operator against a real kube-apiserver: kubectl changes what a real Envoy runs. */
class KubernetesModeIT extends KubernetesFixture {
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
}
