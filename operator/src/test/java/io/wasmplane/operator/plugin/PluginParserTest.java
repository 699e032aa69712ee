package io.wasmplane.operator.plugin;

import static io.wasmplane.operator.TestPlugins.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import io.wasmplane.xds.FilterType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PluginParserTest {
  @ParameterizedTest(name = "{0} with {1} -> {2}")
  @CsvSource({
    "oci://r.example/p:1.0, '', IF_NOT_PRESENT",
    "oci://r.example/p:latest, '', ALWAYS",
    "oci://r.example/p, '', ALWAYS",
    "r.example:5000/p:latest, '', ALWAYS",
    "r.example:5000/p:v2, '', IF_NOT_PRESENT",
    "oci://r.example/p:latest, 'imagePullPolicy: IfNotPresent', IF_NOT_PRESENT",
    "oci://r.example/p:latest, 'imagePullPolicy: UNSPECIFIED_POLICY', ALWAYS",
    "oci://r.example/p:1.0, 'imagePullPolicy: Always', ALWAYS",
    "https://h.example/p.wasm, '', IF_NOT_PRESENT",
    "'oci://r.example/p@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', '', IF_NOT_PRESENT",
  })
  void pullPolicyDefaultsFollowTheApi(String url, String extra, PullPolicy expected) {
    PluginSpec spec = plugin("shop", "p", "url: \"" + url + "\"\n" + extra);

    assertThat(spec.pullPolicy()).isEqualTo(expected);
  }

  @Test
  void mapsEveryFieldTheTranslationUses() {
    PluginSpec spec =
        plugin(
            "shop",
            "full",
            """
            url: oci://r.example/p:1.0
            sha256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            imagePullSecret: pull
            pluginName: root
            phase: AUTHZ
            priority: -3
            failStrategy: FAIL_OPEN
            type: NETWORK
            pluginConfig: {b: 1.0, a: x}
            vmConfig:
              env:
              - {name: A, value: one}
              - {name: B, valueFrom: HOST}
            match:
            - mode: SERVER
              ports: [{number: 80}]
            """);

    assertThat(spec.url().isOci()).isTrue();
    assertThat(spec.pullSecret()).isEqualTo("pull");
    assertThat(spec.rootId()).isEqualTo("root");
    assertThat(spec.phase()).isEqualTo(Phase.AUTHZ);
    assertThat(spec.priority()).isEqualTo(-3);
    assertThat(spec.failStrategy()).isEqualTo(FailStrategy.FAIL_OPEN);
    assertThat(spec.type()).isEqualTo(FilterType.NETWORK);
    assertThat(spec.configuration()).isEqualTo("{\"a\":\"x\",\"b\":1}");
    assertThat(spec.env())
        .containsExactly(new EnvVar("A", false, "one"), new EnvVar("B", true, ""));
    assertThat(spec.match())
        .containsExactly(new TrafficSelector(TrafficMode.SERVER, java.util.Set.of(80)));
  }

  @Test
  void emptyPluginConfigMeansNoConfiguration() {
    assertThat(plugin("shop", "p", "pluginConfig: {}").configuration()).isNull();
    assertThat(plugin("shop", "q", "").configuration()).isNull();
  }

  @Test
  void metadataHashChangesWithLabelsButNotWithStatusOrResourceVersion() throws Exception {
    var yaml =
        new com.fasterxml.jackson.databind.ObjectMapper(
            new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
    String base =
        "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: p, namespace: s, resourceVersion: \"%s\", labels: {a: \"%s\"}}\nspec: {url: oci://r/p:1}\n";
    String h1 = PluginParser.parse(yaml.readTree(base.formatted("1", "x"))).metadataHash();
    String h2 = PluginParser.parse(yaml.readTree(base.formatted("2", "x"))).metadataHash();
    String h3 = PluginParser.parse(yaml.readTree(base.formatted("2", "y"))).metadataHash();

    assertThat(h1).isEqualTo(h2);
    assertThat(h3).isNotEqualTo(h2);
  }
}
