package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.wasmplane.crd.ImageReference;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pull secret keys match images as Docker matches them, and each kind of auth is read. */
class DockerConfigTest {
  private static String auth(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code kubectl create secret docker-registry} Secret with one entry under {@code key}. */
  private static JsonNode dockerConfigJson(String key) {
    return PullSecrets.secret(
        "kubernetes.io/dockerconfigjson",
        ".dockerconfigjson",
        "{\"auths\":{\"%s\":{\"username\":\"u\",\"password\":\"p\",\"auth\":\"%s\"}}}"
            .formatted(key, auth("u", "p")));
  }

  @ParameterizedTest(name = "key {0} for image {1}: {2}")
  @CsvSource({
    // Docker Hub: kubectl writes https://index.docker.io/v1/
    "https://index.docker.io/v1/, docker.io/team/filter:v1, true",
    "https://index.docker.io/v1/, index.docker.io/team/filter:v1, true",
    "https://index.docker.io/v1/, library/filter:v1, true",
    "https://index.docker.io/v1/, filter, true",
    "index.docker.io, docker.io/team/filter, true",
    "docker.io, team/filter, true",
    "https://index.docker.io/v1/, ghcr.io/team/filter, false",
    // Other registries: scheme and path stripped
    "https://registry.example:5000/v2/, registry.example:5000/team/filter, true",
    "http://registry.example:5000, registry.example:5000/team/filter, true",
    "registry.example:5000/v1/, registry.example:5000/team/filter, true",
    "REGISTRY.example:5000, registry.example:5000/team/filter, true",
    "registry.example, registry.example:5000/team/filter, false",
    "registry.example:5000, registry.example/team/filter, false",
    "https://registry.example.evil/v2/, registry.example/team/filter, false",
    "http://127.0.0.1:5000/v2/, 127.0.0.1:5000/team/filter:v1, true",
  })
  void keysMatchImagesAsDockerMatchesThem(String key, String image, boolean matches)
      throws Exception {
    String registry = ImageReference.parse(image).registry();

    RegistryCredentials found =
        DockerConfig.credentials(dockerConfigJson(key), "ns/pull", registry);

    assertThat(found).isEqualTo(matches ? new RegistryCredentials("u", "p") : null);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // what the auths map holds | registry | expected: user/password/identity/registry or ANON
        "{\"r.example\":{\"auth\":\"dTpwOnE=\"}} | r.example | u/p:q/-/-",
        "{\"r.example\":{\"username\":\"u\",\"password\":\"p\"}} | r.example | u/p/-/-",
        "{\"r.example\":{\"username\":\"x\",\"password\":\"y\",\"auth\":\"dTpw\"}}"
            + " | r.example | u/p/-/-",
        "{\"r.example\":{\"identitytoken\":\"refresh\"}} | r.example | -/-/refresh/-",
        "{\"r.example\":{\"username\":\"<token>\",\"identitytoken\":\"refresh\"}} | r.example"
            + " | <token>/-/refresh/-",
        "{\"r.example\":{\"registrytoken\":\"bearer\"}} | r.example | -/-/-/bearer",
        "{\"r.example\":{}} | r.example | ANON",
        "{\"r.example\":{\"email\":\"a@b.example\"}} | r.example | ANON",
        "{\"other.example\":{\"auth\":\"dTpw\"}} | r.example | ANON",
        "{} | r.example | ANON",
        // the exact key wins over one that only normalises to the registry
        "{\"https://r.example/v2/\":{\"auth\":\"YTpi\"},\"r.example\":{\"auth\":\"dTpw\"}}"
            + " | r.example | u/p/-/-",
        "{\"http://r.example/\":{\"auth\":\"YTpi\"},\"https://r.example/v2/\":{\"auth\":\"dTpw\"}}"
            + " | r.example | a/b/-/-",
      })
  void selectsTheEntryAndReadsEachKindOfAuth(String auths, String registry, String expected)
      throws Exception {
    JsonNode secret =
        PullSecrets.secret(
            "kubernetes.io/dockerconfigjson", ".dockerconfigjson", "{\"auths\":" + auths + "}");
    JsonNode legacy = PullSecrets.secret("kubernetes.io/dockercfg", ".dockercfg", auths);

    RegistryCredentials want = expected.equals("ANON") ? null : parse(expected);
    assertThat(DockerConfig.credentials(secret, "ns/pull", registry)).isEqualTo(want);
    assertThat(DockerConfig.credentials(legacy, "ns/pull", registry))
        .as("the legacy .dockercfg form")
        .isEqualTo(want);
  }

  private static RegistryCredentials parse(String expected) {
    String[] parts = expected.split("/");
    String[] values = new String[4];
    for (int i = 0; i < 4; i++) {
      values[i] = parts[i].equals("-") ? null : parts[i];
    }
    return new RegistryCredentials(values[0], values[1], values[2], values[3]);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "kubernetes.io/dockerconfigjson | .dockerconfigjson | {\"r.example\":{}}"
            + " | has no \"auths\" map in .dockerconfigjson",
        "kubernetes.io/dockerconfigjson | .dockercfg | {} | has no .dockerconfigjson key",
        "kubernetes.io/dockercfg | .dockercfg | [] | has a .dockercfg that is not a map",
        "kubernetes.io/dockercfg | .dockercfg | {\"r.example\":{\"auth\":\"%%%\"}}"
            + " | has an auth for r.example that is not base64",
        "kubernetes.io/dockercfg | .dockercfg | {\"r.example\":{\"auth\":\"dXNlcg==\"}}"
            + " | has an auth for r.example that is not user:password",
        "Opaque | .dockerconfigjson | {} | has type \"Opaque\"",
      })
  void aMalformedSecretIsInvalid(String type, String key, String config, String message) {
    assertThatThrownBy(
            () ->
                DockerConfig.credentials(
                    PullSecrets.secret(type, key, config), "ns/pull", "r.example"))
        .isInstanceOfSatisfying(
            FetchException.class, e -> assertThat(e.reason()).isEqualTo("PullSecretInvalid"))
        .hasMessageContaining("pull secret ns/pull " + message);
  }
}
