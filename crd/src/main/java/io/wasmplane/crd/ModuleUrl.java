package io.wasmplane.crd;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WasmPlugin {@code url}: {@code oci://}, {@code https://}, {@code http://}, {@code file://}, or
 * a bare image reference ({@code host:port/repo:tag}), which means {@code oci://}.
 *
 * @param scheme lowercase scheme; {@code oci} for a bare reference
 * @param rest everything after {@code scheme://}
 */
public record ModuleUrl(String scheme, String rest) {
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://(.*)$");
  private static final Pattern KNOWN_SCHEME_PREFIX =
      Pattern.compile("^(?i)(https?|oci|file):.*$", Pattern.DOTALL);
  private static final Pattern KNOWN_SCHEME_PATH = Pattern.compile("^(?i)(https?|oci|file):/\\S*$");
  private static final Pattern WHITESPACE = Pattern.compile("\\s");
  private static final List<String> SCHEMES = List.of("http", "https", "oci", "file");

  /** The image-reference grammar also used by the CRD's CEL rule. */
  public static final Pattern IMAGE_REFERENCE =
      Pattern.compile(
          "^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
              + "(:[0-9]+)?/)?[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*"
              + "(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$");

  /** Whether the CRD admits {@code url}. */
  public static boolean isValid(String url) {
    Matcher m = SCHEME.matcher(url);
    if (m.matches()) {
      return SCHEMES.contains(m.group(1).toLowerCase(Locale.ROOT))
          && !WHITESPACE.matcher(url).find()
          && isRequestUri(url);
    }
    if (KNOWN_SCHEME_PREFIX.matcher(url).matches()) {
      return KNOWN_SCHEME_PATH.matcher(url).matches() && isRequestUri(url);
    }
    return IMAGE_REFERENCE.matcher(url).matches();
  }

  /** An absolute URI with a hierarchical path, as the apiserver's CEL {@code isURL} requires. */
  private static boolean isRequestUri(String url) {
    try {
      URI uri = new URI(url);
      return uri.getScheme() != null && !uri.isOpaque();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Parses a url the CRD admitted. */
  public static ModuleUrl parse(String url) {
    Matcher m = SCHEME.matcher(url);
    if (m.matches()) {
      return new ModuleUrl(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    return new ModuleUrl("oci", url);
  }

  public boolean isOci() {
    return scheme.equals("oci");
  }

  public boolean isFile() {
    return scheme.equals("file");
  }

  /** The digest after {@code @sha256:} in the url, or null. */
  public String pinnedDigest() {
    int at = rest.lastIndexOf("@sha256:");
    return at < 0 ? null : rest.substring(at + 8);
  }
}
