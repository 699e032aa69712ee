package io.wasmplane.operator.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.grpc.Status;
import io.wasmplane.xds.ProxyAuthenticator.AuthFailure;
import io.wasmplane.xds.ProxyCaller;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Pins what a TokenReview's answer proves: only a Pod-bound ServiceAccount token names a Pod. */
class TokenReviewVerdictTest {
  private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
  private static final String HINT =
      "; send a Pod-bound ServiceAccount token with audience wasmplane";

  static TokenReviewStatus authenticated(String username, Map<String, List<String>> extra) {
    return new TokenReviewStatusBuilder()
        .withAuthenticated(true)
        .withAudiences("wasmplane")
        .withUser(new UserInfoBuilder().withUsername(username).withExtra(extra).build())
        .build();
  }

  static Map<String, List<String>> bound(String pod, String uid) {
    return uid == null
        ? Map.of(TokenReviewVerdict.POD_NAME, List.of(pod))
        : Map.of(
            TokenReviewVerdict.POD_NAME, List.of(pod), TokenReviewVerdict.POD_UID, List.of(uid));
  }

  /**
   * The verdict on a token of ServiceAccount shop/web with {@code extra}, for audience wasmplane.
   */
  private static ProxyCaller webCaller(Map<String, List<String>> extra) throws AuthFailure {
    return TokenReviewVerdict.of(
        authenticated("system:serviceaccount:shop:web", extra), "wasmplane", EXPIRES);
  }

  static Stream<Arguments> refusals() {
    String unbound =
        "the token of system:serviceaccount:shop:web is not bound to a Pod; mount it as a"
            + " projected serviceAccountToken volume";
    return Stream.of(
        Arguments.of(
            "no status", null, Status.Code.UNAUTHENTICATED, "the token was not accepted" + HINT),
        Arguments.of(
            "authenticated unset",
            new TokenReviewStatusBuilder().build(),
            Status.Code.UNAUTHENTICATED,
            "the token was not accepted" + HINT),
        Arguments.of(
            "not authenticated, no error",
            new TokenReviewStatusBuilder().withAuthenticated(false).build(),
            Status.Code.UNAUTHENTICATED,
            "the token was not accepted" + HINT),
        Arguments.of(
            "not authenticated, blank error",
            new TokenReviewStatusBuilder().withAuthenticated(false).withError("  ").build(),
            Status.Code.UNAUTHENTICATED,
            "the token was not accepted" + HINT),
        Arguments.of(
            "not authenticated, with error",
            new TokenReviewStatusBuilder()
                .withAuthenticated(false)
                .withError("[invalid bearer token, token audiences [\"api\"] is invalid]")
                .build(),
            Status.Code.UNAUTHENTICATED,
            "the token was not accepted: [invalid bearer token, token audiences [\"api\"] is"
                + " invalid]"
                + HINT),
        Arguments.of(
            "a user",
            authenticated("alice@example.com", bound("web-1", "uid-1")),
            Status.Code.PERMISSION_DENIED,
            "the token is alice@example.com's, not a ServiceAccount's bound to a Pod"),
        Arguments.of(
            "a node",
            authenticated("system:node:worker-1", Map.of()),
            Status.Code.PERMISSION_DENIED,
            "the token is system:node:worker-1's, not a ServiceAccount's bound to a Pod"),
        Arguments.of(
            "a ServiceAccount, no extra",
            authenticated("system:serviceaccount:shop:web", null),
            Status.Code.PERMISSION_DENIED,
            unbound),
        Arguments.of(
            "a ServiceAccount bound to a Secret",
            authenticated(
                "system:serviceaccount:shop:web",
                Map.of("authentication.kubernetes.io/credential-id", List.of("JTI=1"))),
            Status.Code.PERMISSION_DENIED,
            unbound),
        Arguments.of(
            "a ServiceAccount, empty pod-name",
            authenticated(
                "system:serviceaccount:shop:web", Map.of(TokenReviewVerdict.POD_NAME, List.of())),
            Status.Code.PERMISSION_DENIED,
            unbound),
        Arguments.of(
            "a ServiceAccount, blank pod-name",
            authenticated("system:serviceaccount:shop:web", bound(" ", "uid-1")),
            Status.Code.PERMISSION_DENIED,
            unbound),
        Arguments.of(
            "a ServiceAccount name without namespace",
            authenticated("system:serviceaccount:web", bound("web-1", "uid-1")),
            Status.Code.PERMISSION_DENIED,
            "the token of system:serviceaccount:web is not bound to a Pod; mount it as a"
                + " projected serviceAccountToken volume"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(String row, TokenReviewStatus status, Status.Code code, String message) {
    AuthFailure failure =
        catchThrowableOfType(
            AuthFailure.class, () -> TokenReviewVerdict.of(status, "wasmplane", EXPIRES));

    assertThat(failure).hasMessage(message);
    assertThat(failure.code()).isEqualTo(code);
  }

  @Test
  void aPodBoundTokenProvesItsPod() throws Exception {
    ProxyCaller caller = webCaller(bound("web-1", "uid-1"));

    assertThat(caller).isEqualTo(ProxyCaller.pod("shop", "web-1", "uid-1", EXPIRES));
    assertThat(caller.refusal("web-1.shop")).isNull();
    assertThat(caller.refusal("web-2.shop")).isNotNull();
  }

  @Test
  void aPodBoundTokenWithoutUidProvesItsPodWithoutUid() throws Exception {
    ProxyCaller caller = webCaller(bound("web-1", null));

    assertThat(caller).isEqualTo(ProxyCaller.pod("shop", "web-1", null, EXPIRES));
  }

  @Test
  void theNamespaceIsTheServiceAccountsNotOneThePodNameSuggests() throws Exception {
    ProxyCaller caller = webCaller(bound("web-1.bank", "uid-1"));

    assertThat(caller.namespace()).isEqualTo("shop");
    assertThat(caller.refusal("web-1.bank")).isNotNull();
    assertThat(caller.refusal("web-1.bank.shop")).isNull();
  }
}
