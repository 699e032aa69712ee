package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wasmplane.operator.module.PullRule.PullKey;
import io.wasmplane.operator.plugin.PluginParser;
import io.wasmplane.operator.plugin.PluginSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a module is pulled again, and which pulls are one pull. */
class PullRuleTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String DIGEST =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final String OTHER = "fedcba9876543210".repeat(4);

  private static PluginSpec plugin(String metadata, String spec) throws Exception {
    return PluginParser.parse(
        YAML.readTree(
            """
            apiVersion: extensions.istio.io/v1alpha1
            kind: WasmPlugin
            metadata: {name: p, namespace: ns, %s}
            spec:
            %s"""
                .formatted(metadata, spec.indent(2))));
  }

  private static PullKey key(String metadata, String spec) throws Exception {
    return PullRule.key(plugin(metadata, spec), "");
  }

  @ParameterizedTest(name = "{0} -> uses the cache: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "url: https://example.com/p.wasm                                        | true",
        "url: oci://registry.example/p:v1                                       | true",
        "url: oci://registry.example/p:latest                                   | false",
        "url: oci://registry.example/p                                          | false",
        "{url: 'oci://registry.example/p:v1', imagePullPolicy: Always}          | false",
        "{url: 'oci://registry.example/p:latest', imagePullPolicy: IfNotPresent}| true",
        "{url: 'oci://registry.example/p:latest', sha256: " + DIGEST + "}       | true",
        "{url: 'oci://registry.example/p@sha256:" + DIGEST + "', imagePullPolicy: Always} | true",
        "{url: 'https://example.com/p.wasm', imagePullPolicy: Always}           | false",
      })
  void aPinnedOrIfNotPresentModuleComesFromTheCache(String spec, boolean usesCache)
      throws Exception {
    assertThat(key("uid: u1", spec).mayUseCache()).isEqualTo(usesCache);
  }

  @Test
  void alwaysPullsAgainForANewGenerationNewMetadataOrANewInstanceButNotForAStatusWrite()
      throws Exception {
    String spec = "url: oci://registry.example/p:latest";
    PullKey base = key("uid: u1, generation: 1", spec);
    assertThat(key("uid: u1, generation: 1", spec)).isEqualTo(base);
    assertThat(key("uid: u1, generation: 1, resourceVersion: '99'", spec)).isEqualTo(base);
    assertThat(key("uid: u1, generation: 2", spec)).isNotEqualTo(base);
    assertThat(key("uid: u1, generation: 1, labels: {a: b}", spec)).isNotEqualTo(base);
    assertThat(key("uid: u2, generation: 1", spec)).as("recreated").isNotEqualTo(base);
  }

  @Test
  void twoPluginsNamingOneUrlShareAPullOnlyWhenTheyMayUseTheCache() throws Exception {
    PluginSpec a = plugin("uid: a", "url: oci://registry.example/p:latest");
    PluginSpec b =
        PluginParser.parse(
            YAML.readTree(
                """
                apiVersion: extensions.istio.io/v1alpha1
                kind: WasmPlugin
                metadata: {name: q, namespace: ns, uid: b}
                spec: {url: 'oci://registry.example/p:latest'}"""));
    assertThat(PullRule.key(a, "")).isNotEqualTo(PullRule.key(b, ""));
    PluginSpec c = plugin("uid: c", "url: oci://registry.example/p:v1");
    PluginSpec d = plugin("uid: d", "url: oci://registry.example/p:v1");
    assertThat(PullRule.key(c, "")).isEqualTo(PullRule.key(d, ""));
    assertThat(PullRule.key(c, "creds")).isNotEqualTo(PullRule.key(d, ""));
  }

  @Test
  void aNewSha256IsANewPull() throws Exception {
    String url = "url: https://example.com/p.wasm";
    assertThat(key("uid: u", url + "\nsha256: " + DIGEST))
        .isNotEqualTo(key("uid: u", url + "\nsha256: " + OTHER));
  }

  @Test
  void anOciPinIsTheManifestDigestAndAnHttpPinTheModuleDigest() throws Exception {
    PullKey oci = key("uid: u", "url: oci://registry.example/p:v1\nsha256: " + DIGEST);
    assertThat(PullRule.mismatch(oci, OTHER, "sha256:" + DIGEST)).isNull();
    assertThat(PullRule.mismatch(oci, DIGEST, "sha256:" + OTHER))
        .contains("manifest digest sha256:" + OTHER)
        .contains("module bytes sha256:" + DIGEST);

    PullKey http = key("uid: u", "url: https://example.com/p.wasm\nsha256: " + DIGEST);
    assertThat(PullRule.mismatch(http, DIGEST, null)).isNull();
    assertThat(PullRule.mismatch(http, OTHER, null)).contains("module's sha256 " + OTHER);

    PullKey unpinned = key("uid: u", "url: https://example.com/p.wasm");
    assertThat(PullRule.mismatch(unpinned, OTHER, null)).isNull();
  }
}
