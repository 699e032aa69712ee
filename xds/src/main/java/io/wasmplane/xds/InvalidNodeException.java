package io.wasmplane.xds;

import io.grpc.Status;

/**
 * A proxy is refused: its node id or metadata breaks the proxy contract, its credentials do not
 * match the node, or it holds too many streams. The message says how; the code is the gRPC status
 * it is refused with.
 */
public final class InvalidNodeException extends Exception {
  private final Status.Code code;

  public InvalidNodeException(String message) {
    this(Status.Code.INVALID_ARGUMENT, message);
  }

  public InvalidNodeException(Status.Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }
}
