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
import io.wasmplane.testbed.WasmImages;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TrafficExtensions in Kubernetes mode, on a real apiserver with real Envoys: Lua and Wasm
 * extensions run in one chain with WasmPlugins, ordered by phase and priority, and report the same
 * status conditions; a Lua edit reaches the proxy with no listener update; a root-namespace Lua
 * extension with a selector works on request and response, as in Istio's examples; a Wasm
 * extension's pull Secret is watched like a WasmPlugin's.
 */
@ExtendWith(OciRegistryExtension.class)
class TrafficExtensionKubernetesIT extends KubernetesFixture {
  private static final String CONDITION = "{.status.conditions[?(@.type==\"%s\")].%s}";

  private static String condition(String type, String field) {
    return CONDITION.formatted(type, field);
  }

  @Test
  void luaAndWasmExtensionsShareOneChainWithWasmPluginsAndReportStatus() throws Exception {
    ns.pod("web-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "web-1", operator, upstream);
    ns.apply(
        String.join(
            "---\n",
            Plugins.luaExtension(namespace, "lua-authn", mark("lua-authn"), "phase: AUTHN"),
            Plugins.wasmExtension(namespace, "wasm-authz", "phase: AUTHZ\npriority: 10"),
            Plugins.chain(namespace, "plugin-authz", "phase: AUTHZ\npriority: 5"),
            Plugins.luaExtension(namespace, "lua-stats", mark("lua-stats"), "phase: STATS")));

    awaitChain(
        envoy, mark("lua-authn"), mark("wasm-authz"), mark("plugin-authz"), mark("lua-stats"));
    String summary =
        condition("Accepted", "status")
            + " "
            + condition("ModuleReady", "reason")
            + " "
            + condition("Programmed", "status")
            + " {.status.proxies.selected} {.status.observedGeneration}";
    awaitJsonpath("trafficextension/lua-authn", summary, "True InlineLua True 1 1");
    awaitJsonpath("trafficextension/wasm-authz", summary, "True LocalFile True 1 1");
    awaitJsonpath("wasmplugin/plugin-authz", summary, "True LocalFile True 1 1");
    String wide = ns.output("get", "trafficextensions", "-o", "wide");
    System.out.println("$ kubectl get trafficextensions -o wide\n" + wide);
    assertThat(wide.lines().filter(l -> l.startsWith("lua-authn ")).findFirst().orElseThrow())
        .contains("True", "Programmed", "AUTHN", "InlineLua");

    // A deleted extension leaves the chain; the others stay.
    ns.kubectl(null, "delete", "trafficextension", "lua-stats");
    awaitChain(envoy, mark("lua-authn"), mark("wasm-authz"), mark("plugin-authz"));
  }

  @Test
  void aLuaEditChangesBehaviourWithNoListenerUpdate() throws Exception {
    ns.pod("web-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "web-1", operator, upstream);
    ns.apply(Plugins.luaExtension(namespace, "lua", mark("before"), ""));
    awaitChain(envoy, mark("before"));
    awaitJsonpath("trafficextension/lua", condition("Programmed", "status"), "True");
    long listenerUpdates = envoy.stat("listener_manager.lds.update_success");
    assertThat(listenerUpdates).as("listener updates before the edit").isPositive();

    ns.apply(Plugins.luaExtension(namespace, "lua", mark("after"), ""));

    awaitChain(envoy, mark("after"));
    awaitJsonpath(
        "trafficextension/lua",
        condition("Programmed", "status") + " {.status.observedGeneration}",
        "True 2");
    assertThat(envoy.stat("listener_manager.lds.update_success"))
        .as("listener updates after the Lua edit")
        .isEqualTo(listenerUpdates);
  }

  @Test
  void aLuaTypoIsRefusedWithItsLineAndNeitherBreaksTheProxyNorDropsTheLastValidVersion()
      throws Exception {
    ns.pod("web-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "web-1", operator, upstream);
    ns.apply(
        Plugins.luaExtension(namespace, "lua", mark("lua-v1"), "phase: AUTHN")
            + "---\n"
            + Plugins.chain(namespace, "plugin", ""));
    awaitChain(envoy, mark("lua-v1"), mark("plugin"));

    String typo =
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: TrafficExtension
        metadata: {name: %s}
        spec:
          phase: AUTHN
          lua:
            inlineCode: |
              function envoy_on_request(request_handle)
                request_handle:headers():add("x-wasmplane-chain", "typo"
              end
        """;
    ns.apply(typo.formatted("lua") + "---\n" + typo.formatted("fresh"));

    String accepted = condition("Accepted", "status") + " " + condition("Accepted", "message");
    String why =
        "spec.lua.inlineCode: Lua syntax error: line 3: ')' expected (to close '(' at line 2)";
    awaitJsonpath(
        "trafficextension/lua",
        accepted,
        "False " + why + "; the last valid version keeps serving");
    awaitJsonpath("trafficextension/fresh", accepted, "False " + why);
    Chains.assertEveryRequest(envoy, "http", 20, mark("lua-v1"), mark("plugin"));
  }

  @Test
  void aReplacedOperatorServesTheExtensionsFromItsFirstConfiguration() throws Exception {
    ns.pod("web-1", "app: web");
    ns.apply(
        Plugins.luaExtension(namespace, "lua-authn", mark("lua-authn"), "phase: AUTHN")
            + "---\n"
            + Plugins.chain(namespace, "plugin", ""));
    Envoy envoy = ns.proxy(envoys, "web-1", operator, upstream);
    awaitChain(envoy, mark("lua-authn"), mark("plugin"));

    long modified = envoy.stat("listener_manager.listener_modified");
    assertThat(modified).as("Envoy counts listener modifications").isNotNegative();
    int xdsPort = operator.xdsPort();
    int httpPort = operator.httpPort();
    operator.close();
    operator =
        ns.startOperator(
            "--xds-port", Integer.toString(xdsPort), "--http-port", Integer.toString(httpPort));
    await().atMost(CONVERGE).until(() -> operator.xds().sessions().size() == 1);

    // The new operator's first configuration waited for both kinds: no request misses the Lua,
    // and the listener was never rebuilt without its slot.
    Chains.assertEveryRequest(envoy, "http", 25, mark("lua-authn"), mark("plugin"));
    assertThat(envoy.stat("listener_manager.listener_modified"))
        .as("listener modifications across the restart")
        .isEqualTo(modified);
  }

  @Test
  void extensionsAreReadOnceTheirCrdIsInstalledAfterTheOperatorStarted() throws Exception {
    operator.close();
    Envoy envoy;
    try {
      api.kubectl(
              null,
              "delete",
              "crd",
              "trafficextensions.extensions.istio.io",
              "--ignore-not-found",
              "--wait=true")
          .orThrow();
      operator = ns.startOperator();
      ns.pod("web-1", "app: web");
      envoy = ns.proxy(envoys, "web-1", operator, upstream);
      ns.apply(Plugins.chain(namespace, "plugin", ""));
      awaitChain(envoy, mark("plugin"));
      assertThat(OperatorHttp.get(operator.httpPort(), "/metrics"))
          .as("WasmPlugins are served while TrafficExtensions cannot be read")
          .contains("wasmplane_plugin_reconciles_total{namespace=\"" + namespace + "\"")
          .doesNotContain("wasmplane_trafficextension_reconciles_total");
    } finally {
      Chains.installCrd(api);
    }

    ns.apply(Plugins.luaExtension(namespace, "late-lua", mark("late-lua"), "phase: AUTHN"));

    awaitChain(envoy, mark("late-lua"), mark("plugin"));
    awaitJsonpath("trafficextension/late-lua", condition("Programmed", "status"), "True");
    assertThat(OperatorHttp.get(operator.httpPort(), "/metrics"))
        .contains(
            "wasmplane_trafficextension_reconciles_total{namespace=\""
                + namespace
                + "\",name=\"late-lua\"}");
  }

  @Test
  void aRootNamespaceLuaExtensionWithASelectorActsOnRequestAndResponse() throws Exception {
    try (TestNamespace root = TestNamespace.create(api, "root")) {
      operator.close();
      operator = ns.startOperator("--root-namespace", root.name());
      ns.pod("gateway-1", "istio: ingressgateway");
      Envoy gateway = ns.proxy(envoys, "gateway-1", operator, upstream);
      ns.pod("web-1", "app: web");
      Envoy web = ns.proxy(envoys, "web-1", operator, upstream);
      // Istio's own examples have this shape: a selector, no phase, request and response code
      // that pass a value through the stream's dynamic metadata.
      root.apply(
          """
          apiVersion: extensions.istio.io/v1alpha1
          kind: TrafficExtension
          metadata:
            name: tenant-echo
            namespace: %s
          spec:
            selector:
              matchLabels:
                istio: ingressgateway
            lua:
              inlineCode: |
                function envoy_on_request(request_handle)
                  local tenant = request_handle:headers():get("x-tenant")
                  if tenant == nil then return end
                  request_handle:streamInfo():dynamicMetadata():set(
                    "envoy.filters.http.lua", "tenant", string.upper(tenant))
                end
                function envoy_on_response(response_handle)
                  local meta = response_handle:streamInfo():dynamicMetadata():get(
                    "envoy.filters.http.lua")
                  if meta == nil then return end
                  response_handle:headers():add("x-tenant-seen", meta["tenant"])
                end
          """
              .formatted(root.name()));

      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () ->
                  assertThat(
                          Traffic.get(gateway.port("http"), Map.of("x-tenant", "acme"))
                              .responseHeader("x-tenant-seen"))
                      .containsExactly("ACME"));
      assertThat(Traffic.get(web.port("http"), Map.of("x-tenant", "acme")))
          .satisfies(reply -> assertThat(reply.status()).isEqualTo(200))
          .satisfies(reply -> assertThat(reply.responseHeader("x-tenant-seen")).isEmpty());
      await()
          .atMost(CONVERGE)
          .untilAsserted(
              () ->
                  assertThat(
                          root.jsonpath(
                              "trafficextension/tenant-echo",
                              condition("Programmed", "status") + " {.status.proxies.selected}"))
                      .isEqualTo("True 1"));
    }
  }

  @Test
  void aWasmExtensionsPullSecretIsWatchedAndItsModuleRunsOnceTheSecretArrives(
      @Htpasswd OciRegistry registry) throws Exception {
    PushedImage image =
        WasmImages.pushFixture(
            registry, "extensions/private-" + namespace, "v1", WasmFixtures.HEADER_CHAIN);
    ns.pod("web-1", "app: web");
    Envoy envoy = ns.proxy(envoys, "web-1", operator, upstream);
    ns.apply(
        """
        apiVersion: extensions.istio.io/v1alpha1
        kind: TrafficExtension
        metadata: {name: private}
        spec:
          wasm:
            url: oci://%s
            imagePullSecret: pull
            failStrategy: FAIL_OPEN
            pluginConfig: {name: private}
        """
            .formatted(image.reference()));
    awaitJsonpath(
        "trafficextension/private", condition("ModuleReady", "reason"), "PullSecretNotFound");
    Chains.await(envoy, "http", CONVERGE);

    ns.dockerSecret(registry, "pull", OciRegistryExtension.PASSWORD);

    awaitChain(envoy, mark("private"));
    awaitJsonpath(
        "trafficextension/private",
        condition("ModuleReady", "reason") + " {.status.imageDigest}",
        "Fetched " + image.manifestDigest());
  }
}
