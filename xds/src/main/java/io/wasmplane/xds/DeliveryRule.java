package io.wasmplane.xds;

/**
 * Decides which version of a plugin one proxy is sent: the last good version wins. A proxy gets the
 * verified version when there is one. It gets the stand-in only when it cannot be running a good
 * version already: a proxy that reconnected may run one that this replica has not fetched yet, so
 * it keeps that until this replica has a good version to send. Nothing is sent while a first fetch
 * runs, so the listener waits for the module instead of running without the plugin.
 */
public final class DeliveryRule {
  private DeliveryRule() {}

  /**
   * The version to send, or null to send nothing and leave the proxy with what it runs.
   *
   * @param offer what the control plane has for the plugin
   * @param reconnected whether the proxy already ran a configuration when this stream opened
   * @param sentBefore whether this stream has already sent this plugin
   */
  public static WasmExtension choose(
      ExtensionOffer offer, boolean reconnected, boolean sentBefore) {
    if (offer.good() != null) {
      return offer.good();
    }
    if (offer.standIn() != null && (!reconnected || sentBefore)) {
      return offer.standIn();
    }
    return null;
  }
}
