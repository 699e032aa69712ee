package io.wasmplane.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves that the testbed's kube-apiserver accepts a CRD and serves its custom resources. */
@ExtendWith(KubeApiServerExtension.class)
class KubeApiServerSmokeIT {
  private static final String CRD =
      """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: gadgets.smoke.wasmplane.io
      spec:
        group: smoke.wasmplane.io
        scope: Namespaced
        names: {plural: gadgets, singular: gadget, kind: Gadget}
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    size: {type: integer, minimum: 1}
      """;

  @Test
  void servesCustomResourcesOfAnAppliedCrd(KubeApiServer api) {
    api.kubectl(CRD, "apply", "-f", "-").orThrow();
    api.kubectl(
            null,
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/gadgets.smoke.wasmplane.io")
        .orThrow();
    api.kubectl(null, "create", "namespace", "smoke").orThrow();

    api.kubectl(
            """
            apiVersion: smoke.wasmplane.io/v1
            kind: Gadget
            metadata: {name: g1, namespace: smoke}
            spec: {size: 3}
            """,
            "apply",
            "-f",
            "-")
        .orThrow();
    CommandResult got =
        api.kubectl(null, "get", "gadget", "g1", "-n", "smoke", "-o", "jsonpath={.spec.size}");
    assertThat(got.orThrow().stdout()).isEqualTo("3");

    CommandResult rejected =
        api.kubectl(
            """
            apiVersion: smoke.wasmplane.io/v1
            kind: Gadget
            metadata: {name: g2, namespace: smoke}
            spec: {size: 0}
            """,
            "apply",
            "-f",
            "-");
    assertThat(rejected.ok()).isFalse();
    assertThat(rejected.stderr()).contains("spec.size");
  }
}
