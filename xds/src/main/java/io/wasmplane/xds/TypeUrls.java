package io.wasmplane.xds;

/** The xDS and extension type URLs that Wasmplane serves and references. */
public final class TypeUrls {
  private static final String PREFIX = "type.googleapis.com/";
  public static final String LISTENER = PREFIX + "envoy.config.listener.v3.Listener";
  public static final String EXTENSION_CONFIG =
      PREFIX + "envoy.config.core.v3.TypedExtensionConfig";
  public static final String HTTP_WASM = PREFIX + "envoy.extensions.filters.http.wasm.v3.Wasm";
  public static final String HTTP_RBAC = PREFIX + "envoy.extensions.filters.http.rbac.v3.RBAC";
  public static final String HTTP_FAULT =
      PREFIX + "envoy.extensions.filters.http.fault.v3.HTTPFault";
  public static final String HTTP_LUA = PREFIX + "envoy.extensions.filters.http.lua.v3.Lua";
  public static final String NETWORK_WASM =
      PREFIX + "envoy.extensions.filters.network.wasm.v3.Wasm";
  public static final String NETWORK_RBAC =
      PREFIX + "envoy.extensions.filters.network.rbac.v3.RBAC";

  private TypeUrls() {}
}
