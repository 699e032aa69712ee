package io.wasmplane.crd;

/** The condition types a WasmPlugin's status carries, as DESIGN pins them. */
public final class Conditions {
  /** Is the spec valid and supported. */
  public static final String ACCEPTED = "Accepted";

  /** Was the module fetched and verified, or why not. */
  public static final String MODULE_READY = "ModuleReady";

  /** Is the plugin delivered to the proxies it selects. */
  public static final String PROGRAMMED = "Programmed";

  private Conditions() {}
}
