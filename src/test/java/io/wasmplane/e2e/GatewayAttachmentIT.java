package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.KubeApiServer;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plugins attached with {@code targetRefs} on a real apiserver with the upstream Gateway API CRDs:
 * a Gateway reference reaches that Gateway's proxies only, a GatewayClass reference from the root
 * namespace every Gateway of the class, and a Gateway that changes class takes its proxies along.
 */
class GatewayAttachmentIT extends KubernetesFixture {
  @BeforeAll
  static void installGatewayApi(KubeApiServer api) {
    String crds = System.getenv("GATEWAY_API_CRDS");
    if (crds == null) {
      throw new IllegalStateException(
          "GATEWAY_API_CRDS is not set; run the tests through scripts/test");
    }
    api.kubectl(null, "apply", "--server-side", "-f", crds).orThrow();
    api.kubectl(
            null,
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/gateways.gateway.networking.k8s.io",
            "crd/gatewayclasses.gateway.networking.k8s.io")
        .orThrow();
  }

  private void gateway(String name, String className) {
    ns.apply(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: %s}
        spec:
          gatewayClassName: %s
          listeners: [{name: http, port: 80, protocol: HTTP}]
        """
            .formatted(name, className));
  }

  private Envoy gatewayProxy(String gateway) {
    String pod = gateway + "-pod";
    ns.pod(pod, "gateway.networking.k8s.io/gateway-name: " + gateway);
    return ns.proxy(envoys, pod, operator, upstream);
  }

  @Test
  void gatewayAndGatewayClassReferencesReachTheirGatewaysProxies() throws Exception {
    String gatewayClass = "wasmplane-it-" + UUID.randomUUID().toString().substring(0, 8);
    try (TestNamespace root = TestNamespace.create(api, "root")) {
      operator.close();
      operator = ns.startOperator("--root-namespace", root.name());
      gateway("gw-a", gatewayClass);
      gateway("gw-b", gatewayClass);
      gateway("gw-c", "another-class");
      Envoy a = gatewayProxy("gw-a");
      Envoy b = gatewayProxy("gw-b");
      Envoy c = gatewayProxy("gw-c");
      ns.pod("web-1", "app: web");
      Envoy web = ns.proxy(envoys, "web-1", operator, upstream);

      ns.apply(
          Plugins.chain(
              namespace,
              "only-a",
              "priority: 5\ntargetRefs: [{group: gateway.networking.k8s.io, kind: Gateway,"
                  + " name: gw-a}]"));
      root.apply(
          Plugins.chain(
              root.name(),
              "every-gateway",
              "priority: 10\ntargetRefs: [{group: gateway.networking.k8s.io, kind: GatewayClass,"
                  + " name: "
                  + gatewayClass
                  + "}]"));
      ns.apply(Plugins.chain(namespace, "sidecars", "selector: {matchLabels: {app: web}}"));

      awaitChain(a, mark("every-gateway"), mark("only-a"));
      awaitChain(b, mark("every-gateway"));
      awaitChain(c);
      awaitChain(web, mark("sidecars"));
      awaitStatus(
          "only-a",
          "{.status.conditions[?(@.type==\"Accepted\")].message} {.status.proxies.selected}",
          "the spec is valid; attached to Gateway gw-a 1");

      // gw-b leaves the class: its proxy no longer runs the class-wide plugin.
      gateway("gw-b", "another-class");
      awaitChain(b);
      awaitChain(a, mark("every-gateway"), mark("only-a"));
    }
  }

  @Test
  void waypointTargetsAreRefusedWithAReasonAndEmptyTargetRefsAreUnset() throws Exception {
    Envoy gw = gatewayProxy("gw-a");
    ns.apply(Plugins.chain(namespace, "waypoint", "targetRefs: [{kind: Service, name: reviews}]"));
    ns.apply(Plugins.chain(namespace, "everywhere", "targetRefs: []"));

    awaitChain(gw, mark("everywhere"));
    awaitStatus(
        "waypoint",
        "{.status.conditions[?(@.type==\"Accepted\")].reason}",
        "TargetRefNotSupported");
    assertThat(
            ns.jsonpath(
                "wasmplugin/waypoint", "{.status.conditions[?(@.type==\"Accepted\")].message}"))
        .contains("Service reviews is not supported");
  }
}
