package io.wasmplane.operator.trust;

/** Which way proxies prove who they are, when {@code --xds-auth} does not say. */
final class AuthMode {
  static final String TOKEN = "token";
  static final String MTLS = "mtls";
  static final String NONE = "none";

  private AuthMode() {}

  /**
   * {@code explicit} if given; otherwise Pod-bound tokens in a cluster, client certificates when a
   * client CA is configured, and nothing in directory mode.
   */
  static String of(String explicit, boolean kubernetes, boolean clientCa) {
    if (explicit != null) {
      if (explicit.equals(TOKEN) && !kubernetes) {
        throw new IllegalArgumentException(
            "--xds-auth=token needs Kubernetes mode: tokens are checked with TokenReview");
      }
      if (explicit.equals(MTLS) && !clientCa) {
        throw new IllegalArgumentException("--xds-auth=mtls needs --xds-client-ca");
      }
      return explicit;
    }
    if (kubernetes) {
      return TOKEN;
    }
    return clientCa ? MTLS : NONE;
  }
}
