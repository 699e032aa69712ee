package io.wasmplane.xds;

/** A proxy's node id or metadata breaks the proxy contract; the message says how. */
public final class InvalidNodeException extends Exception {
  public InvalidNodeException(String message) {
    super(message);
  }
}
