package io.wasmplane.xds;

/** Hears what proxies do with what they were sent; the operator turns it into status. */
public interface XdsEvents {
  XdsEvents NONE = new XdsEvents() {};

  default void connected(ProxySession session) {}

  default void disconnected(ProxySession session) {}

  /** A proxy accepted or rejected a response; {@link ProxySession} holds the details. */
  default void answered(ProxySession session, String typeUrl, boolean accepted) {}
}
