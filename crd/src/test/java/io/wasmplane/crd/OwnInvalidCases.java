package io.wasmplane.crd;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Invalid WasmPlugins of our own, each with the field and words its rejection must name. */
final class OwnInvalidCases {
  private OwnInvalidCases() {}

  static String plugin(String name, String spec) {
    return ConformanceRun.resource("WasmPlugin", name, spec);
  }

  /** Arguments: case name, WasmPlugin YAML, field the message names, words it must contain. */
  static Stream<Arguments> cases() {
    return Stream.of(
        c("gopher-scheme", "url: gopher://example.com/p.wasm", "spec.url", "schema one of"),
        c("space-in-url", "url: oci://ghcr.io/a b:1", "spec.url", "schema one of"),
        c("uppercase-repo", "url: ghcr.io/Org/plugin:1.0", "spec.url", "image reference"),
        c("opaque-http", "url: \"http:plugin.wasm\"", "spec.url", "schema one of"),
        c(
            "digest-mismatch",
            "url: oci://r.example/p@sha256:" + "a".repeat(64) + "\nsha256: " + "b".repeat(64),
            "spec",
            "sha256 must equal the digest"),
        c(
            "env-dash",
            "url: oci://r.example/p:1\nvmConfig:\n  env:\n  - {name: MY-VAR, value: x}",
            "spec.vmConfig.env[0].name",
            "should match"),
        c(
            "env-leading-digit",
            "url: oci://r.example/p:1\nvmConfig:\n  env:\n  - {name: 1ABC, value: x}",
            "spec.vmConfig.env[0].name",
            "should match"),
        c(
            "env-host-lowercase",
            "url: oci://r.example/p:1\nvmConfig:\n  env:\n  - {name: A, valueFrom: host}",
            "spec.vmConfig.env[0].valueFrom",
            "Unsupported value: \"host\""),
        c(
            "env-unknown-field",
            "url: oci://r.example/p:1\nvmConfig:\n  env:\n  - {name: A, default: x}",
            "spec.vmConfig.env[0].default",
            "unknown field"),
        c(
            "vmconfig-unknown-field",
            "url: oci://r.example/p:1\nvmConfig:\n  runtime: v8",
            "spec.vmConfig.runtime",
            "unknown field"),
        c(
            "port-70000",
            "url: oci://r.example/p:1\nmatch:\n- ports: [{number: 70000}]",
            "spec.match[0].ports[0].number",
            "less than or equal to 65535"),
        c(
            "port-string",
            "url: oci://r.example/p:1\nmatch:\n- ports: [{number: \"8080\"}]",
            "spec.match[0].ports[0].number",
            "integer"),
        c(
            "mode-lowercase",
            "url: oci://r.example/p:1\nmatch:\n- mode: server",
            "spec.match[0].mode",
            "Unsupported value: \"server\""),
        c(
            "type-lowercase",
            "url: oci://r.example/p:1\ntype: http",
            "spec.type",
            "Unsupported value"),
        c(
            "fail-strategy-short",
            "url: oci://r.example/p:1\nfailStrategy: OPEN",
            "spec.failStrategy",
            "Unsupported value"),
        c(
            "pull-policy-uppercase",
            "url: oci://r.example/p:1\nimagePullPolicy: ALWAYS",
            "spec.imagePullPolicy",
            "Unsupported value"),
        c(
            "priority-fraction",
            "url: oci://r.example/p:1\npriority: 1.5",
            "spec.priority",
            "must be of type integer"),
        c(
            "priority-below-int32",
            "url: oci://r.example/p:1\npriority: -2147483649",
            "spec.priority",
            "greater than or equal to -2147483648"),
        c(
            "plugin-config-number",
            "url: oci://r.example/p:1\npluginConfig: 5",
            "spec.pluginConfig",
            "must be of type object"),
        c(
            "label-value-number",
            "url: oci://r.example/p:1\nselector:\n  matchLabels: {app: 5}",
            "spec.selector.matchLabels.app",
            "string"),
        c(
            "selector-match-expressions",
            "url: oci://r.example/p:1\nselector:\n  matchExpressions: []",
            "spec.selector.matchExpressions",
            "unknown field"),
        c(
            "targetrefs-name-missing",
            "url: oci://r.example/p:1\ntargetRefs:\n- {kind: Gateway, group: gateway.networking.k8s.io}",
            "spec.targetRefs[0].name",
            "Required value"),
        c(
            "targetref-group-uppercase",
            "url: oci://r.example/p:1\ntargetRef: {kind: Gateway, group: Gateway.Networking.k8s.io, name: g}",
            "spec.targetRef.group",
            "should match"),
        c(
            "sha256-spaces",
            "url: oci://r.example/p:1\nsha256: \"" + "a".repeat(63) + " \"",
            "spec.sha256",
            "should match"),
        c("url-number", "url: 42", "spec.url", "must be of type string"));
  }

  private static Arguments c(String name, String spec, String field, String words) {
    return Arguments.of(name, plugin("own-" + name, spec), field, words);
  }
}
