package io.wasmplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.SidecarBootstrap;
import io.wasmplane.testbed.Toolchain;
import io.wasmplane.testbed.WasmFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's demo plugins (deploy/examples/demo) really run, in the documented order. */
class DemoExampleIT {
  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();

  @Test
  void demoPluginsRunInTheDocumentedOrder() throws Exception {
    Path modules = WasmFixtures.path(WasmFixtures.HEADER_CHAIN).getParent();
    WasmFixtures.path(WasmFixtures.ENV_HEADER);
    try (DirectoryControlPlane controlPlane = DirectoryControlPlane.start();
        EchoUpstream upstream = EchoUpstream.start()) {
      Path examples = Toolchain.repoRoot().resolve("deploy/examples/demo");
      for (String file : List.of("chain.yaml", "vm-env.yaml")) {
        String yaml =
            Files.readString(examples.resolve(file)).replace("MODULES_DIR", modules.toString());
        controlPlane.write(file, yaml);
      }
      Envoy gateway =
          envoys.start(
              SidecarBootstrap.proxy("demo-gateway", "istio-ingress")
                  .label("istio", "ingressgateway")
                  .controlPlane(controlPlane.xdsPort(), controlPlane.httpPort())
                  .cluster("echo", upstream.port())
                  .outbound("gateway-http", "HTTP", "echo")
                  .template(),
              Map.of("HOME", "/home/demo"));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Traffic.Reply reply = Traffic.get(gateway.port("gateway-http"));
                assertThat(reply.chain())
                    .containsExactly(
                        "{\"plugin\":\"openid-connect\"}",
                        "{\"plugin\":\"acl-check\"}",
                        "{\"plugin\":\"check-header\"}");
                assertThat(reply.header("x-wasmplane-env"))
                    .containsExactly("HOME=/home/demo;TRUST_DOMAIN=cluster.local");
              });
    }
  }
}
