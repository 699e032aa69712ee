package io.wasmplane.xds;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Who fetches a {@code remote} module, carried in the module url's query. It lets the module server
 * tell which proxy finished a download, and a resend after a cache miss differ in bytes from the
 * rejected one: Envoy ACKs an identical resend and never applies it.
 *
 * @param proxy the fetching proxy's node id
 * @param attempt 1 for a first send, then one more per resend of the same version
 */
public record RemoteFetch(String proxy, int attempt) {
  /** The query parameter naming the proxy. */
  public static final String PROXY_PARAM = "proxy";

  /** The query string, with its leading {@code ?}. */
  public String query() {
    String query = "?" + PROXY_PARAM + "=" + URLEncoder.encode(proxy, StandardCharsets.UTF_8);
    return attempt > 1 ? query + "&attempt=" + attempt : query;
  }
}
