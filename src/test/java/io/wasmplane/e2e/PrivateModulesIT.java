package io.wasmplane.e2e;

import static io.wasmplane.e2e.Plugins.mark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.Htpasswd;
import io.wasmplane.testbed.OciRegistry;
import io.wasmplane.testbed.OciRegistryExtension;
import io.wasmplane.testbed.PushedImage;
import io.wasmplane.testbed.SidecarBootstrap;
import io.wasmplane.testbed.WasmFixtures;
import io.wasmplane.testbed.WasmImages;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Private modules stay with their tenant: a module pulled with one namespace's pull Secret is not
 * handed, from the operator's cache, to a plugin in another namespace that has no Secret or a wrong
 * one, on a real apiserver, a real registry behind htpasswd and real Envoys.
 */
@ExtendWith(OciRegistryExtension.class)
class PrivateModulesIT extends KubernetesFixture {
  private static final String NOT_SHARED =
      "a cached copy pulled with other credentials is not shared";

  /** The second tenant's namespace; {@link #ns} is the first's. */
  private TestNamespace tenantB;

  @BeforeEach
  void watchTwoTenants() throws Exception {
    tenantB = TestNamespace.create(api, "k8s-b");
    operator.close();
    operator = ns.startOperator("--namespaces", tenantB.name());
  }

  @AfterEach
  void dropSecondTenant() {
    tenantB.close();
  }

  @Test
  void aPluginWithoutTheSecretCannotObtainAnotherNamespacesPrivateModuleFromTheCache(
      @Htpasswd OciRegistry registry) throws Exception {
    PushedImage image = push(registry, "tenant-a/private-" + namespace);
    Envoy envoyA = tenantA(registry, image);

    tenantB.dockerSecret(registry, "guess", "not-the-password");
    String pin = "sha256: \"" + image.manifestDigest().substring(7) + "\"\n";
    Envoy envoyB = proxyOfTenantB();
    tenantB.apply(
        plugin("pinned", image.reference(), pin + "priority: 30")
            + "---\n"
            + plugin("cached", image.reference(), "imagePullPolicy: IfNotPresent\npriority: 20")
            + "---\n"
            + plugin("guessed", image.reference(), pin + "imagePullSecret: guess\npriority: 10"));

    for (String name : new String[] {"pinned", "cached"}) {
      awaitRefusal(
          name,
          "anonymous pulls (no imagePullSecret) are not accepted for "
              + image.reference()
              + "; "
              + NOT_SHARED);
    }
    awaitRefusal(
        "guessed",
        "the plugin's credentials are not accepted for " + image.reference() + "; " + NOT_SHARED);
    assertThat(tenantB.jsonpath("wasmplugin/pinned", "{.status.moduleDigest}"))
        .as("no digest of the private module shows in the other tenant's status")
        .isEmpty();
    tenantB.printWideAndDescribe(" (another tenant's private module)", "pinned");

    // FAIL_OPEN stand-ins pass traffic: none of the other tenant's plugins runs the module.
    Chains.await(envoyB, "http", CONVERGE);
    Chains.assertEveryRequest(envoyB, "http", 20);
    Chains.assertEveryRequest(envoyA, "http", 20, mark("owner"));
    assertThat(registry.getCount("/v2/tenant-a/private-" + namespace + "/blobs/"))
        .as("the module was pulled once, by its owner")
        .isEqualTo(1);
  }

  @Test
  void theOtherTenantsOwnValidSecretGetsTheCachedModuleWithoutAnotherPull(
      @Htpasswd OciRegistry registry) throws Exception {
    PushedImage image = push(registry, "tenant-a/shared-" + namespace);
    Envoy envoyA = tenantA(registry, image);

    Envoy envoyB = proxyOfTenantB();
    tenantB.apply(plugin("granted", image.reference(), "imagePullSecret: mine"));
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> assertThat(moduleReady(tenantB, "granted")).startsWith("PullSecretNotFound: "));

    tenantB.dockerSecret(registry, "mine", OciRegistryExtension.PASSWORD);

    awaitChain(envoyB, mark("granted"));
    awaitChain(envoyA, mark("owner"));
    assertThat(registry.getCount("/v2/tenant-a/shared-" + namespace + "/blobs/"))
        .as("the cached module served the second tenant")
        .isEqualTo(1);
  }

  /**
   * A sidecar of a Pod in tenant B's namespace. It dials the operator in tenant A's namespace, so
   * it verifies the xDS certificate with the CA kept there, and sends its own Pod's token.
   */
  private Envoy proxyOfTenantB() {
    tenantB.pod("app-b", "app: web");
    Path token = TestNamespace.tokenSecret(tenantB.token("app-b", "wasmplane"));
    return envoys.start(
        SidecarBootstrap.proxy("app-b", tenantB.name())
            .controlPlane(operator.xdsPort(), operator.httpPort())
            .tls(ns.xdsCa(), ns.xdsServerName())
            .token(token, token.getParent())
            .cluster("app", upstream.port())
            .inbound("http", "HTTP", 8080, "app")
            .template());
  }

  /** Tenant A: a valid pull Secret, a plugin "owner" running {@code image}, and its proxy. */
  private Envoy tenantA(OciRegistry registry, PushedImage image) {
    ns.dockerSecret(registry, "pull", OciRegistryExtension.PASSWORD);
    ns.pod("app-a", "app: web");
    Envoy envoy = ns.proxy(envoys, "app-a", operator, upstream);
    ns.apply(plugin("owner", image.reference(), "imagePullSecret: pull"));
    awaitChain(envoy, mark("owner"));
    return envoy;
  }

  private void awaitRefusal(String plugin, String message) {
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                assertThat(moduleReady(tenantB, plugin))
                    .isEqualTo("RegistryUnauthorized: " + message));
  }

  /** The ModuleReady condition of {@code plugin} in {@code in}, as "reason: message". */
  private static String moduleReady(TestNamespace in, String plugin) {
    String condition = "{.status.conditions[?(@.type==\"ModuleReady\")]";
    return in.jsonpath("wasmplugin/" + plugin, condition + ".reason}: " + condition + ".message}");
  }

  /** A FAIL_OPEN header-chain plugin named {@code name} running {@code reference}. */
  private static String plugin(String name, String reference, String spec) {
    return """
        apiVersion: extensions.istio.io/v1alpha1
        kind: WasmPlugin
        metadata: {name: %s}
        spec:
          url: oci://%s
          failStrategy: FAIL_OPEN
          pluginConfig: {name: %s}
        %s"""
        .formatted(name, reference, name, spec.indent(2));
  }

  private static PushedImage push(OciRegistry registry, String repository) throws Exception {
    return WasmImages.pushFixture(registry, repository, "v1", WasmFixtures.HEADER_CHAIN);
  }
}
