package io.wasmplane.operator.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.grpc.Status;
import io.wasmplane.operator.MutableClock;
import io.wasmplane.xds.CallerCredentials;
import io.wasmplane.xds.ProxyAuthenticator.AuthFailure;
import io.wasmplane.xds.ProxyCaller;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins TokenReviews' caching: one review per token while its verdict holds, refusals remembered
 * briefly, apiserver trouble never cached, and reviews bounded by the budget.
 */
class TokenReviewsTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final List<String> reviewed = new ArrayList<>();
  private Function<String, TokenReviewStatus> answer = token -> podBound();
  private TokenReviews reviews = reviews(new ReviewBudget(1000, 1000));

  private TokenReviews reviews(ReviewBudget budget) {
    return new TokenReviews(
        token -> {
          reviewed.add(token);
          return answer.apply(token);
        },
        "wasmplane",
        clock,
        budget);
  }

  static TokenReviewStatus podBound() {
    return TokenReviewVerdictTest.authenticated(
        "system:serviceaccount:shop:web", TokenReviewVerdictTest.bound("web-1", "uid-1"));
  }

  /** An unsigned JWT whose claims are {@code claims}. */
  static String jwt(String claims) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    return base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  private ProxyCaller authenticate(String authorization) throws AuthFailure {
    return reviews.authenticate(new CallerCredentials(authorization, List.of(), null));
  }

  private AuthFailure refusal(String authorization) {
    return catchThrowableOfType(AuthFailure.class, () -> authenticate(authorization));
  }

  @Test
  void aTokenIsReviewedOnceWhileItsVerdictHolds() throws Exception {
    ProxyCaller first = authenticate("Bearer one");
    clock.advance(TokenReviews.MAX_TRUST.minusSeconds(1));
    ProxyCaller again = authenticate("bearer one");
    authenticate("Bearer two");

    assertThat(reviewed).containsExactly("one", "two");
    assertThat(again).isEqualTo(first);
    assertThat(first)
        .isEqualTo(ProxyCaller.pod("shop", "web-1", "uid-1", START.plus(TokenReviews.MAX_TRUST)));
  }

  @Test
  void aTokenIsReviewedAgainAfterMaxTrust() throws Exception {
    String token = jwt("{\"exp\":" + START.plus(Duration.ofHours(1)).getEpochSecond() + "}");
    ProxyCaller first = authenticate("Bearer " + token);
    clock.advance(TokenReviews.MAX_TRUST);
    authenticate("Bearer " + token);

    assertThat(reviewed).hasSize(2);
    assertThat(first.expires())
        .as("the caller holds until the token expires, though the review is trusted less long")
        .isEqualTo(START.plus(Duration.ofHours(1)));
  }

  @Test
  void aTokenIsReviewedAgainAfterItsExp() throws Exception {
    Instant exp = START.plusSeconds(60);
    String token = jwt("{\"aud\":[\"wasmplane\"],\"exp\": " + exp.getEpochSecond() + ",\"iat\":1}");
    ProxyCaller first = authenticate("Bearer " + token);
    clock.advance(Duration.ofSeconds(59));
    authenticate("Bearer " + token);
    assertThat(reviewed).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    authenticate("Bearer " + token);

    assertThat(reviewed).hasSize(2);
    assertThat(first.expires()).isEqualTo(exp);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "opaque | 600",
        "a.b | 600",
        "x.!!!.y | 600",
        "JWT:{\"sub\":\"x\"} | 600",
        "JWT:{\"exp\":1893456030} | 30",
        "JWT:{\"exp\":999999999999999999} | 600",
        "JWT:{\"exp\":99999999999999999999} | 600",
        "JWT:{\"exp\" : 1893459600, \"nbf\": 1} | 3600",
      })
  void theExpiryIsTheExpClaimOrMaxTrust(String token, long seconds) {
    String value = token.startsWith("JWT:") ? jwt(token.substring(4)) : token;
    assertThat(TokenReviews.expiry(value, START)).isEqualTo(START.plusSeconds(seconds));
  }

  @Test
  void aRefusalIsRememberedForAWhileThenReviewedAgain() throws Exception {
    answer = token -> new TokenReviewStatusBuilder().withAuthenticated(false).build();
    AuthFailure first = refusal("Bearer forged");
    clock.advance(TokenReviews.REFUSAL_MEMORY.minusSeconds(1));
    AuthFailure remembered = refusal("Bearer forged");
    assertThat(reviewed).hasSize(1);
    assertThat(first.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(remembered).hasMessage(first.getMessage());

    answer = token -> podBound();
    clock.advance(Duration.ofSeconds(1));
    ProxyCaller caller = authenticate("Bearer forged");

    assertThat(reviewed).hasSize(2);
    assertThat(caller.podName()).isEqualTo("web-1");
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(
      nullValues = "NULL",
      value = {"NULL", "''", "'Bearer '", "'Basic d2ViOnB3'", "'Token abc'"})
  void noBearerTokenIsUnauthenticatedWithoutAReview(String authorization) {
    AuthFailure failure = refusal(authorization);

    assertThat(failure)
        .hasMessage(
            "no bearer token; a proxy sends its Pod-bound ServiceAccount token with audience"
                + " wasmplane in the authorization header");
    assertThat(failure.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(reviewed).isEmpty();
  }

  @Test
  void aFailedReviewIsUnavailableAndNotCached() throws Exception {
    answer =
        token -> {
          throw new IllegalStateException("connection refused");
        };
    AuthFailure failure = refusal("Bearer one");
    assertThat(failure).hasMessage("cannot review the token now: connection refused");
    assertThat(failure.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure.httpStatus()).isEqualTo(503);

    answer = token -> podBound();
    ProxyCaller caller = authenticate("Bearer one");

    assertThat(reviewed).hasSize(2);
    assertThat(caller.podName()).isEqualTo("web-1");
  }

  @Test
  void aSpentBudgetIsUnavailableUntilItRefills() throws Exception {
    reviews = reviews(new ReviewBudget(1, 1));
    authenticate("Bearer one");

    AuthFailure failure = refusal("Bearer two");
    assertThat(failure).hasMessage("too many token reviews at once; retry shortly");
    assertThat(failure.code()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(reviewed).containsExactly("one");
    assertThat(authenticate("Bearer one").podName())
        .as("a cached verdict needs no review")
        .isEqualTo("web-1");

    clock.advance(Duration.ofSeconds(1));
    authenticate("Bearer two");
    assertThat(reviewed).containsExactly("one", "two");
  }
}
