package io.wasmplane.operator.trust;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.grpc.Status;
import io.wasmplane.operator.module.WasmBytes;
import io.wasmplane.xds.CallerCredentials;
import io.wasmplane.xds.ProxyAuthenticator;
import io.wasmplane.xds.ProxyCaller;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Authenticates proxies by their Pod-bound ServiceAccount tokens: each token is reviewed once with
 * TokenReview and the verdict kept until the token expires (a refusal for a short while), and
 * reviews are rate-limited so a flood of bad tokens cannot flood the apiserver.
 */
public final class TokenReviews implements ProxyAuthenticator {
  /** How long a review is trusted at most, whatever the token's own expiry. */
  static final Duration MAX_TRUST = Duration.ofMinutes(10);

  /** How long a refused token stays refused without another review. */
  static final Duration REFUSAL_MEMORY = Duration.ofSeconds(10);

  private static final int MAX_ENTRIES = 50_000;
  private static final Pattern EXP = Pattern.compile("\"exp\"\\s*:\\s*([0-9]+)");

  private final Function<String, TokenReviewStatus> reviewer;
  private final String audience;
  private final Clock clock;
  private final ReviewBudget budget;
  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

  /** A cached outcome: the caller proven, or the refusal, and until when it holds. */
  private record Verdict(ProxyCaller caller, AuthFailure refusal, Instant until) {}

  /**
   * @param reviewer sends a TokenReview of a token for {@code audience} and returns its status
   * @param audience the audience proxies' tokens must carry
   * @param clock time, for expiry
   * @param budget how many reviews may go to the apiserver
   */
  public TokenReviews(
      Function<String, TokenReviewStatus> reviewer,
      String audience,
      Clock clock,
      ReviewBudget budget) {
    this.reviewer = reviewer;
    this.audience = audience;
    this.clock = clock;
    this.budget = budget;
  }

  @Override
  public ProxyCaller authenticate(CallerCredentials credentials) throws AuthFailure {
    String token = credentials.bearerToken();
    if (token == null) {
      throw new AuthFailure(
          Status.Code.UNAUTHENTICATED,
          "no bearer token; a proxy sends its Pod-bound ServiceAccount token with audience "
              + audience
              + " in the authorization header");
    }
    String key = WasmBytes.sha256Hex(token.getBytes(StandardCharsets.UTF_8));
    Instant now = clock.instant();
    Verdict known = verdicts.get(key);
    if (known == null || !known.until().isAfter(now)) {
      known = review(token, now);
      if (verdicts.size() >= MAX_ENTRIES) {
        verdicts.values().removeIf(v -> !v.until().isAfter(now));
      }
      if (verdicts.size() < MAX_ENTRIES) {
        verdicts.put(key, known);
      }
    }
    if (known.refusal() != null) {
      throw known.refusal();
    }
    return known.caller();
  }

  private Verdict review(String token, Instant now) throws AuthFailure {
    if (!budget.take(now)) {
      throw new AuthFailure(
          Status.Code.UNAVAILABLE, "too many token reviews at once; retry shortly");
    }
    Instant expires = expiry(token, now);
    TokenReviewStatus status;
    try {
      status = reviewer.apply(token);
    } catch (RuntimeException e) {
      throw new AuthFailure(
          Status.Code.UNAVAILABLE, "cannot review the token now: " + e.getMessage());
    }
    try {
      ProxyCaller caller = TokenReviewVerdict.of(status, audience, expires);
      return new Verdict(caller, null, min(expires, now.plus(MAX_TRUST)));
    } catch (AuthFailure refusal) {
      return new Verdict(null, refusal, now.plus(REFUSAL_MEMORY));
    }
  }

  /**
   * The token's {@code exp} claim, read without verifying the signature: the apiserver verifies the
   * token, this only bounds how long its verdict is kept.
   */
  static Instant expiry(String token, Instant now) {
    String[] parts = token.split("\\.");
    if (parts.length == 3) {
      try {
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Matcher exp = EXP.matcher(claims);
        if (exp.find()) {
          return Instant.ofEpochSecond(Long.parseLong(exp.group(1)));
        }
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        // not a JWT we can read, or an exp beyond any Instant; fall back to the shortest trust
      }
    }
    return now.plus(MAX_TRUST);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
