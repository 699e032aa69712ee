package io.wasmplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Pins which node ids a caller may speak for, with the refusal texts, and bearer parsing. */
class ProxyCallerTest {
  private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
  private static final ProxyCaller POD = ProxyCaller.pod("shop", "web-1", "uid-1", EXPIRES);
  private static final ProxyCaller CERTIFICATE =
      new ProxyCaller("certificate", null, null, null, Set.of("web-2.shop", "web-1.shop"), null);

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("anonymous, any node", ProxyCaller.ANONYMOUS, "web-1.shop", null),
        Arguments.of("anonymous, empty node", ProxyCaller.ANONYMOUS, "", null),
        Arguments.of("pod, its own node", POD, "web-1.shop", null),
        Arguments.of(
            "pod, another pod",
            POD,
            "web-2.shop",
            "the token is Pod shop/web-1's, not web-2.shop's"),
        Arguments.of(
            "pod, same name in another namespace",
            POD,
            "web-1.bank",
            "the token is Pod shop/web-1's, not web-1.bank's"),
        Arguments.of(
            "pod, a prefix of its node id",
            POD,
            "web-1.sho",
            "the token is Pod shop/web-1's, not web-1.sho's"),
        Arguments.of("certificate, first name", CERTIFICATE, "web-1.shop", null),
        Arguments.of("certificate, second name", CERTIFICATE, "web-2.shop", null),
        Arguments.of(
            "certificate, unnamed node",
            CERTIFICATE,
            "web-3.shop",
            "the certificate names web-1.shop, web-2.shop, not node web-3.shop"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesEveryNodeButItsOwn(String row, ProxyCaller caller, String node, String refusal) {
    assertThat(caller.refusal(node)).isEqualTo(refusal);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void onlyTheAnonymousCallerIsAnonymous(String row, ProxyCaller caller, String node, String r) {
    assertThat(caller.anonymous()).isEqualTo(caller == ProxyCaller.ANONYMOUS);
  }

  @Test
  void aPodCallerCarriesWhatItsTokenProved() {
    assertThat(POD.how()).isEqualTo("token");
    assertThat(POD.namespace()).isEqualTo("shop");
    assertThat(POD.podName()).isEqualTo("web-1");
    assertThat(POD.podUid()).isEqualTo("uid-1");
    assertThat(POD.nodeIds()).isEmpty();
    assertThat(POD.expires()).isEqualTo(EXPIRES);
    assertThat(ProxyCaller.ANONYMOUS.expires()).isNull();
  }

  @Test
  void nodeIdsAreCopied() {
    Set<String> names = new HashSet<>(List.of("a.ns"));
    ProxyCaller caller = new ProxyCaller("certificate", null, null, null, names, null);
    names.add("b.ns");
    assertThat(caller.nodeIds()).containsExactly("a.ns");
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "NULL, NULL",
        "'', NULL",
        "'Bearer abc', abc",
        "'bearer abc', abc",
        "'BEARER abc', abc",
        "'BeArEr abc', abc",
        "'Bearer   abc  ', abc",
        "'Bearer a.b-c_d', a.b-c_d",
        "'Bearer ', NULL",
        "'Bearer', NULL",
        "'Bearer      ', NULL",
        "'Bearerabc', NULL",
        "'Basic dXNlcjpwYXNz', NULL",
        "'Token abcdefgh', NULL",
        "'abc', NULL",
      })
  void bearerTokenIsTheTokenOfABearerAuthorization(String authorization, String token) {
    CallerCredentials credentials = new CallerCredentials(authorization, List.of(), null);
    assertThat(credentials.bearerToken()).isEqualTo(token);
  }
}
