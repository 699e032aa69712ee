package io.wasmplane.crd;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * How the apiserver's CEL {@code isURL(s)} and {@code url(s)} see a string: Go's {@code
 * net/url.ParseRequestURI}, and for {@code url(s)} also {@code net/url.Parse}. Used for Istio's url
 * rule, which this class evaluates as the apiserver does.
 */
final class CelUrl {
  private static final List<String> ISTIO_SCHEMES = List.of("", "http", "https", "file", "oci");

  private CelUrl() {}

  /**
   * Istio's rule: {@code isURL(s) ? url(s).getScheme() in [...] : isURL("http://" + s) &&
   * url("http://" + s).getScheme() in [...]}, where an error in {@code url()} fails the rule.
   */
  static boolean passesIstioSchemeRule(String s) {
    String scheme = parse(s, true);
    if (scheme != null) {
      return url(s) && ISTIO_SCHEMES.contains(scheme);
    }
    String prefixed = "http://" + s;
    return parse(prefixed, true) != null && url(prefixed);
  }

  /** CEL's {@code url(s)}: both parses succeed, the fragment included. */
  private static boolean url(String s) {
    int hash = s.indexOf('#');
    if (parse(s, true) == null || parse(hash < 0 ? s : s.substring(0, hash), false) == null) {
      return false;
    }
    return hash < 0 || validEscapes(s.substring(hash + 1));
  }

  /** Go's {@code url.parse}: the lowercase scheme ("" if none), or null if it fails. */
  private static String parse(String raw, boolean viaRequest) {
    if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return null;
    }
    if (raw.isEmpty() && viaRequest) {
      return null;
    }
    if (raw.equals("*")) {
      return "";
    }
    int colon = schemeEnd(raw);
    if (colon == 0) {
      return null;
    }
    String scheme = colon < 0 ? "" : raw.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = colon < 0 ? raw : raw.substring(colon + 1);
    int question = rest.indexOf('?');
    if (question >= 0) {
      rest = rest.substring(0, question);
    }
    if (!rest.startsWith("/")) {
      if (!scheme.isEmpty()) {
        return scheme;
      }
      if (viaRequest) {
        return null;
      }
      int slash = rest.indexOf('/');
      if ((slash < 0 ? rest : rest.substring(0, slash)).contains(":")) {
        return null;
      }
    }
    if ((!scheme.isEmpty() || !viaRequest && !rest.startsWith("///")) && rest.startsWith("//")) {
      String authority = rest.substring(2);
      int slash = authority.indexOf('/');
      if (slash >= 0) {
        rest = authority.substring(slash);
        authority = authority.substring(0, slash);
      } else {
        rest = "";
      }
      if (!validAuthority(authority)) {
        return null;
      }
    }
    return validEscapes(rest) ? scheme : null;
  }

  /** Go's {@code getScheme}: the index of the scheme's colon, -1 if none, 0 if it is missing. */
  private static int schemeEnd(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
        continue;
      }
      if (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
        if (i == 0) {
          return -1;
        }
        continue;
      }
      return c == ':' ? i : -1;
    }
    return -1;
  }

  private static boolean validAuthority(String authority) {
    int at = authority.lastIndexOf('@');
    if (!validHost(at < 0 ? authority : authority.substring(at + 1))) {
      return false;
    }
    if (at < 0) {
      return true;
    }
    String userinfo = authority.substring(0, at);
    for (char c : userinfo.toCharArray()) {
      boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!alnum && "-._:~!$&'()*+,;=%@".indexOf(c) < 0) {
        return false;
      }
    }
    return validEscapes(userinfo);
  }

  private static boolean validHost(String host) {
    if (host.startsWith("[")) {
      int close = host.lastIndexOf(']');
      if (close < 0 || !validPort(host.substring(close + 1))) {
        return false;
      }
      String literal = host.substring(1, close);
      int zone = literal.indexOf("%25");
      String address = zone < 0 ? literal : literal.substring(0, zone);
      return isIpv6(address) && validHostChars(address) && validEscapes(literal);
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && !validPort(host.substring(colon))) {
      return false;
    }
    return validHostChars(host);
  }

  /** Go's {@code unescape} in host mode: escapes only for non-ASCII bytes or %25. */
  private static boolean validHostChars(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '%') {
        if (i + 2 >= host.length() || !isHex(host.charAt(i + 1)) || !isHex(host.charAt(i + 2))) {
          return false;
        }
        if (Character.digit(host.charAt(i + 1), 16) < 8 && !host.startsWith("%25", i)) {
          return false;
        }
        i += 2;
      } else if (c < 0x80 && !hostChar(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hostChar(char c) {
    return c >= 'a' && c <= 'z'
        || c >= 'A' && c <= 'Z'
        || c >= '0' && c <= '9'
        || "-_.~!$&'()*+,;=:[]<>\"".indexOf(c) >= 0;
  }

  private static boolean isIpv6(String literal) {
    if (!literal.contains(":")
        || !literal.chars().allMatch(c -> isHex((char) c) || c == ':' || c == '.')) {
      return false;
    }
    try {
      // A bracketed literal is parsed, never looked up.
      return InetAddress.getByName("[" + literal + "]") != null;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Go's {@code validOptionalPort}: empty, or a colon and digits. */
  private static boolean validPort(String port) {
    return port.isEmpty()
        || port.startsWith(":") && port.chars().skip(1).allMatch(c -> c >= '0' && c <= '9');
  }

  /** Every {@code %} starts a two-digit hex escape. */
  private static boolean validEscapes(String s) {
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 3)) {
      if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }
}
