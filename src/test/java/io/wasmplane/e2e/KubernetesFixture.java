package io.wasmplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wasmplane.operator.WasmplaneOperator;
import io.wasmplane.testbed.EchoUpstream;
import io.wasmplane.testbed.Envoy;
import io.wasmplane.testbed.EnvoyExtension;
import io.wasmplane.testbed.KubeApiServer;
import io.wasmplane.testbed.KubeApiServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each test's namespace, Kubernetes-mode operator, echo app and Envoys, for the Kubernetes ITs. */
@ExtendWith(KubeApiServerExtension.class)
abstract class KubernetesFixture {
  static final Duration CONVERGE = Duration.ofSeconds(40);

  @RegisterExtension final EnvoyExtension envoys = new EnvoyExtension();
  KubeApiServer api;
  TestNamespace ns;
  String namespace;

  /** The operator; a test may close it and put another in its place. */
  WasmplaneOperator operator;

  EchoUpstream upstream;

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

  static void awaitChain(Envoy envoy, String... marks) {
    Chains.await(envoy, "http", CONVERGE, marks);
  }

  /** Waits until {@code jsonpath} on WasmPlugin {@code plugin} reads {@code expected}. */
  void awaitStatus(String plugin, String jsonpath, String expected) {
    awaitJsonpath("wasmplugin/" + plugin, jsonpath, expected);
  }

  /**
   * Waits until {@code jsonpath} on {@code resource} ({@code kind/name}) reads {@code expected}.
   */
  void awaitJsonpath(String resource, String jsonpath, String expected) {
    await()
        .atMost(CONVERGE)
        .untilAsserted(
            () -> assertThat(ns.jsonpath(resource, jsonpath)).as(resource).isEqualTo(expected));
  }
}
