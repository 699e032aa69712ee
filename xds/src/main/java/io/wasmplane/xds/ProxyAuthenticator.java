package io.wasmplane.xds;

/** Turns what a caller presented into what it proves, or refuses it. */
public interface ProxyAuthenticator {
  /** Admits every caller as {@link ProxyCaller#ANONYMOUS}: for local development. */
  ProxyAuthenticator NONE = credentials -> ProxyCaller.ANONYMOUS;

  /**
   * What {@code credentials} prove.
   *
   * @throws AuthFailure when they prove nothing, with the gRPC code and a message for the caller
   */
  ProxyCaller authenticate(CallerCredentials credentials) throws AuthFailure;

  /** A refused caller: the gRPC status code to answer with and why. */
  final class AuthFailure extends Exception {
    private final io.grpc.Status.Code code;

    public AuthFailure(io.grpc.Status.Code code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public io.grpc.Status.Code code() {
      return code;
    }

    /** The HTTP status for the same refusal. */
    public int httpStatus() {
      return switch (code) {
        case UNAUTHENTICATED -> 401;
        case PERMISSION_DENIED -> 403;
        case RESOURCE_EXHAUSTED -> 429;
        default -> 503;
      };
    }
  }
}
