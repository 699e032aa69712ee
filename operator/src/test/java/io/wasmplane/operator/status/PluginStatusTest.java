package io.wasmplane.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wasmplane.crd.Conditions;
import io.wasmplane.operator.TestPlugins;
import io.wasmplane.operator.config.ConfigProblem;
import io.wasmplane.operator.kube.ProxyCounts;
import io.wasmplane.operator.plan.ModuleStatus;
import io.wasmplane.operator.plugin.PluginSpec;
import io.wasmplane.operator.status.PluginStatus.Condition;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every outcome of the Accepted, ModuleReady and Programmed conditions, and the status fields. */
class PluginStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PluginSpec FILE = TestPlugins.plugin("team-a", "auth", "");
  private static final PluginSpec OCI =
      TestPlugins.plugin("team-a", "auth", "url: oci://r.example/auth:1.0\n");
  private static final PluginSpec FAIL_OPEN =
      TestPlugins.plugin(
          "team-a", "auth", "url: oci://r.example/auth:1.0\nfailStrategy: FAIL_OPEN\n");
  private static final PluginSpec TARGET_REFS =
      TestPlugins.plugin(
          "team-a",
          "auth",
          "url: oci://r.example/auth:1.0\ntargetRefs: [{kind: Service, name: s}]\n");
  private static final PluginSpec GATEWAY =
      TestPlugins.plugin(
          "team-a",
          "auth",
          "url: oci://r.example/auth:1.0\ntargetRefs: [{group: gateway.networking.k8s.io, kind:"
              + " Gateway, name: gw}]\n");

  private static final ModuleStatus FETCHED =
      new ModuleStatus.Ready(null, "abc", "sha256:def", null);
  private static final ModuleStatus IN_PROXY = new ModuleStatus.Ready(null, null, null, null);
  private static final ModuleStatus PENDING = new ModuleStatus.Pending("fetching");
  private static final ModuleStatus FAILED =
      new ModuleStatus.Failed("FetchFailed", "registry said 404");

  private static final ProxyCounts NONE = ProxyCounts.NONE;
  private static final ProxyCounts ALL_ACKED = new ProxyCounts(3, 3, 0, null);
  private static final ProxyCounts PARTLY_ACKED = new ProxyCounts(3, 1, 0, null);
  private static final ProxyCounts NACKED = new ProxyCounts(3, 1, 1, "gw-1.team-a: bad module");

  private static final String VALID = "True Valid the spec is valid";
  private static final String FETCHED_ABC = "True Fetched fetched and verified, sha256:abc";

  static Stream<Arguments> outcomes() {
    return Stream.of(
        row(
            "invalid spec, with problems",
            PluginStatus.invalid(
                4,
                List.of(
                    new ConfigProblem("k8s", "WasmPlugin team-a/auth", "spec.url", "bad url"),
                    new ConfigProblem("k8s", "WasmPlugin team-a/auth", "spec.phase", "unknown"))),
            "False Invalid spec.url: bad url; spec.phase: unknown",
            "Unknown NotAccepted the spec is invalid",
            "False NotAccepted the spec is invalid"),
        row(
            "invalid spec, nothing said",
            PluginStatus.invalid(4, null),
            "False Invalid not accepted",
            "Unknown NotAccepted the spec is invalid",
            "False NotAccepted the spec is invalid"),
        row(
            "targetRefs",
            PluginStatus.of(4, TARGET_REFS, FETCHED, false, ALL_ACKED),
            "False TargetRefNotSupported targetRefs Service s is not supported: Wasmplane attaches"
                + " plugins to kind Gateway and GatewayClass of group gateway.networking.k8s.io"
                + " (waypoints are not supported)",
            FETCHED_ABC,
            "False NotAccepted the plugin attaches to Service s, which is not supported"),
        row(
            "attached to a Gateway",
            PluginStatus.of(4, GATEWAY, FETCHED, false, ALL_ACKED),
            "True Valid the spec is valid; attached to Gateway gw",
            FETCHED_ABC,
            "True Programmed running on 3 of 3 proxies"),
        row(
            "targetRefs win over a failed module",
            PluginStatus.of(4, TARGET_REFS, FAILED, false, NONE),
            "False TargetRefNotSupported targetRefs Service s is not supported: Wasmplane attaches"
                + " plugins to kind Gateway and GatewayClass of group gateway.networking.k8s.io"
                + " (waypoints are not supported)",
            "False FetchFailed registry said 404",
            "False NotAccepted the plugin attaches to Service s, which is not supported"),
        row(
            "fetched, acked by all",
            PluginStatus.of(4, OCI, FETCHED, false, ALL_ACKED),
            VALID,
            FETCHED_ABC,
            "True Programmed running on 3 of 3 proxies"),
        row(
            "fetched, with a note",
            PluginStatus.of(
                4, OCI, new ModuleStatus.Ready(null, "abc", null, "a note"), false, NONE),
            VALID,
            FETCHED_ABC + "; a note",
            "True Programmed no connected proxy selects it"),
        row(
            "local file inside the proxy",
            PluginStatus.of(4, FILE, IN_PROXY, false, ALL_ACKED),
            VALID,
            "True LocalFile module is inside the proxy (/plugins/auth.wasm)",
            "True Programmed running on 3 of 3 proxies"),
        row(
            "local file with a digest, sha256 unchecked",
            PluginStatus.of(
                4,
                FILE,
                new ModuleStatus.Ready(null, "abc", null, "sha256 not checked"),
                false,
                NONE),
            VALID,
            "True LocalFile fetched and verified, sha256:abc; sha256 not checked",
            "True Programmed no connected proxy selects it"),
        row(
            "module pending",
            PluginStatus.of(4, OCI, PENDING, false, PARTLY_ACKED),
            VALID,
            "Unknown Fetching the module is being fetched",
            "Unknown Pending waiting for the module"),
        row(
            "module failed, last verified version keeps serving",
            PluginStatus.of(4, OCI, FAILED, true, ALL_ACKED),
            VALID,
            "False FetchFailed registry said 404",
            "False ModuleUnavailable the last verified version keeps running on 3 proxies"),
        row(
            "module failed, no last verified version, FAIL_CLOSE",
            PluginStatus.of(4, OCI, FAILED, false, ALL_ACKED),
            VALID,
            "False FetchFailed registry said 404",
            "False ModuleUnavailable a deny-all stand-in runs in its place on 3 proxies"),
        row(
            "module failed, no last verified version, FAIL_OPEN",
            PluginStatus.of(4, FAIL_OPEN, FAILED, false, NONE),
            VALID,
            "False FetchFailed registry said 404",
            "False ModuleUnavailable a pass-through stand-in runs in its place on 0 proxies"),
        row(
            "module failed wins over NACKs",
            PluginStatus.of(4, OCI, FAILED, true, NACKED),
            VALID,
            "False FetchFailed registry said 404",
            "False ModuleUnavailable the last verified version keeps running on 3 proxies"),
        row(
            "nacked",
            PluginStatus.of(4, OCI, FETCHED, false, NACKED),
            VALID,
            FETCHED_ABC,
            "False Rejected 1 of 3 proxies rejected it: gw-1.team-a: bad module"),
        row(
            "partially acked",
            PluginStatus.of(4, OCI, FETCHED, false, PARTLY_ACKED),
            VALID,
            FETCHED_ABC,
            "Unknown Pending acknowledged by 1 of 3 proxies"),
        row(
            "no proxies",
            PluginStatus.of(4, OCI, FETCHED, false, NONE),
            VALID,
            FETCHED_ABC,
            "True Programmed no connected proxy selects it"),
        row(
            "no proxy counts at all",
            PluginStatus.of(4, OCI, FETCHED, false, null),
            VALID,
            FETCHED_ABC,
            "True Programmed no connected proxy selects it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void conditions(String name, PluginStatus status, List<Condition> expected) {
    assertThat(status.conditions()).containsExactlyElementsOf(expected);
    assertThat(status.observedGeneration()).isEqualTo(4);
  }

  @Test
  void fieldsOfAValidPlugin() throws Exception {
    JsonNode json =
        PluginStatus.of(4, OCI, FETCHED, false, NACKED).toJson(null, Instant.parse(NOW));
    assertThat(json.path("moduleDigest").asText()).isEqualTo("abc");
    assertThat(json.path("imageDigest").asText()).isEqualTo("sha256:def");
    assertThat(json.path("proxies"))
        .isEqualTo(JSON.readTree("{\"selected\":3,\"acked\":1,\"nacked\":1}"));
    assertThat(json.path("lastNackMessage").asText()).isEqualTo("gw-1.team-a: bad module");
    assertThat(json.path("observedGeneration").asLong()).isEqualTo(4);
    assertThat(json.path("conditions")).hasSize(3);
    for (JsonNode condition : json.path("conditions")) {
      assertThat(condition.path("lastTransitionTime").asText()).isEqualTo("2025-01-02T03:04:05Z");
      assertThat(condition.path("observedGeneration").asLong()).isEqualTo(4);
    }
  }

  @Test
  void fieldsOfAnInvalidPlugin() {
    JsonNode json = PluginStatus.invalid(4, null).toJson(null, Instant.parse(NOW));
    assertThat(json.fieldNames()).toIterable().containsExactly("conditions", "observedGeneration");
  }

  @Test
  void digestsAndLastNackOnlyWhenKnown() {
    JsonNode json =
        PluginStatus.of(4, FILE, IN_PROXY, false, ALL_ACKED).toJson(null, Instant.now());
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("conditions", "proxies", "observedGeneration");
  }

  @Test
  void transitionTimeKeptWhileAConditionKeepsItsStatus() throws Exception {
    JsonNode before =
        JSON.readTree(
            """
            {"conditions": [
              {"type": "Accepted", "status": "True", "lastTransitionTime": "2020-01-01T00:00:00Z"},
              {"type": "ModuleReady", "status": "Unknown", "lastTransitionTime": "2020-01-01T00:00:00Z"},
              {"type": "Programmed", "status": "Unknown", "lastTransitionTime": "2020-01-01T00:00:00Z"}
            ]}""");
    JsonNode json =
        PluginStatus.of(4, OCI, FETCHED, false, PARTLY_ACKED).toJson(before, Instant.parse(NOW));
    assertThat(json.path("conditions").findValuesAsText("lastTransitionTime"))
        .containsExactly("2020-01-01T00:00:00Z", "2025-01-02T03:04:05Z", "2020-01-01T00:00:00Z");
  }

  @Test
  void summaryNamesEachCondition() {
    assertThat(PluginStatus.of(4, OCI, PENDING, false, NONE).summary())
        .isEqualTo(
            "Accepted=True(Valid) ModuleReady=Unknown(Fetching) Programmed=Unknown(Pending)");
  }

  private static final String NOW = "2025-01-02T03:04:05.678Z";

  /** A row: name, the status, and Accepted, ModuleReady, Programmed as "status reason message". */
  private static Arguments row(
      String name, PluginStatus status, String accepted, String moduleReady, String programmed) {
    return Arguments.of(
        name,
        status,
        List.of(
            condition(Conditions.ACCEPTED, accepted),
            condition(Conditions.MODULE_READY, moduleReady),
            condition(Conditions.PROGRAMMED, programmed)));
  }

  private static Condition condition(String type, String text) {
    String[] parts = text.split(" ", 3);
    return new Condition(type, parts[0], parts[1], parts[2]);
  }
}
