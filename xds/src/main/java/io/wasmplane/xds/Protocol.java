package io.wasmplane.xds;

/** What a proxy listener speaks: HTTP gets a connection manager, TCP a tcp_proxy. */
public enum Protocol {
  HTTP,
  TCP
}
