package io.wasmplane.operator.plugin;

/** Which listeners a {@code match} selector picks: inbound (SERVER), outbound (CLIENT) or both. */
public enum TrafficMode {
  SERVER,
  CLIENT,
  CLIENT_AND_SERVER;

  /** Reads the API's spelling; null and {@code UNDEFINED} mean both. */
  public static TrafficMode of(String value) {
    if (value == null || value.equals("UNDEFINED")) {
      return CLIENT_AND_SERVER;
    }
    return valueOf(value);
  }
}
