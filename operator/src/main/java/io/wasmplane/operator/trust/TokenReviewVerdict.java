package io.wasmplane.operator.trust;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatus;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.grpc.Status;
import io.wasmplane.xds.ProxyAuthenticator.AuthFailure;
import io.wasmplane.xds.ProxyCaller;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a TokenReview's answer proves: the Pod a Pod-bound ServiceAccount token was issued for, or
 * why the token proves nothing.
 */
final class TokenReviewVerdict {
  static final String POD_NAME = "authentication.kubernetes.io/pod-name";
  static final String POD_UID = "authentication.kubernetes.io/pod-uid";
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  private TokenReviewVerdict() {}

  /**
   * The caller {@code status} proves, valid until {@code expires}.
   *
   * @throws AuthFailure when the token is not authenticated, not a ServiceAccount's, or not bound
   *     to a Pod
   */
  static ProxyCaller of(TokenReviewStatus status, String audience, Instant expires)
      throws AuthFailure {
    if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
      String error = status == null ? null : status.getError();
      throw new AuthFailure(
          Status.Code.UNAUTHENTICATED,
          "the token was not accepted"
              + (error == null || error.isBlank() ? "" : ": " + error)
              + "; send a Pod-bound ServiceAccount token with audience "
              + audience);
    }
    UserInfo user = status.getUser();
    String username = user == null ? "" : String.valueOf(user.getUsername());
    if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
      throw new AuthFailure(
          Status.Code.PERMISSION_DENIED,
          "the token is " + username + "'s, not a ServiceAccount's bound to a Pod");
    }
    String[] parts = username.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
    String pod = first(user.getExtra(), POD_NAME);
    if (pod == null || parts.length != 2) {
      throw new AuthFailure(
          Status.Code.PERMISSION_DENIED,
          "the token of "
              + username
              + " is not bound to a Pod; mount it as a projected serviceAccountToken volume");
    }
    return ProxyCaller.pod(parts[0], pod, first(user.getExtra(), POD_UID), expires);
  }

  private static String first(Map<String, List<String>> extra, String key) {
    if (extra == null) {
      return null;
    }
    List<String> values = extra.get(key);
    return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
  }
}
