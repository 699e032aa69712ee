package io.wasmplane.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaReportsTest {
  private static final Instant NOW = Instant.parse("2026-11-22T05:00:00Z");
  private static final String AUTH = "extensions.istio.io/wasmplugin/team-a.auth";
  private static final String LOG = "extensions.istio.io/wasmplugin/team-a.log";

  private static Lease report(String name, Instant renewed, String json) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name)
        .addToAnnotations(ReplicaReports.ANNOTATION, json)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(name)
        .withLeaseDurationSeconds(30)
        .withRenewTime(renewed.atZone(ZoneOffset.UTC))
        .endSpec()
        .build();
  }

  @Test
  void liveReportsOfOtherReplicasAreSummedPerPlugin() {
    List<Lease> leases =
        List.of(
            report(
                "wasmplane-proxies-b",
                NOW.minusSeconds(5),
                "{\"%s\":{\"selected\":2,\"acked\":2,\"nacked\":0}}".formatted(AUTH)),
            report(
                "wasmplane-proxies-c",
                NOW.minusSeconds(29),
                ("{\"%s\":{\"selected\":1,\"acked\":0,\"nacked\":1,\"lastNack\":\"gw-1.team-a: bad\"},"
                        + "\"%s\":{\"selected\":1,\"acked\":1,\"nacked\":0}}")
                    .formatted(AUTH, LOG)));

    Map<String, ProxyCounts> sum = ReplicaReports.sum(leases, "wasmplane-proxies-a", NOW);

    assertThat(sum)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                AUTH, new ProxyCounts(3, 2, 1, "gw-1.team-a: bad"),
                LOG, new ProxyCounts(1, 1, 0, null)));
  }

  @Test
  void itsOwnExpiredAndUnreadableReportsAreLeftOut() {
    String one = "{\"%s\":{\"selected\":1,\"acked\":1,\"nacked\":0}}".formatted(AUTH);
    List<Lease> leases =
        List.of(
            report("wasmplane-proxies-a", NOW, one),
            report("wasmplane-proxies-dead", NOW.minusSeconds(31), one),
            report("wasmplane-proxies-garbled", NOW, "{not json"),
            report("wasmplane-proxies-b", NOW, one));

    assertThat(ReplicaReports.sum(leases, "wasmplane-proxies-a", NOW))
        .containsExactly(Map.entry(AUTH, new ProxyCounts(1, 1, 0, null)));
  }
}
