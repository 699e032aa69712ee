package io.wasmplane.operator.module;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which addresses module fetching may connect to: never link-local, cloud metadata,
 * unspecified or multicast ones, nor any {@code --fetch-deny-cidr} range; loopback is allowed.
 */
public final class AddressPolicy {
  /** No ranges denied beyond the ones always refused. */
  public static final AddressPolicy DEFAULT = new AddressPolicy(List.of());

  private static final String METADATA = "a link-local/cloud metadata address";
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("(?=.*:)[0-9a-fA-F:][0-9a-fA-F:.]*");

  /** Metadata services outside the link-local ranges: AWS over IPv6 and Alibaba Cloud. */
  private static final List<Range> METADATA_RANGES =
      List.of(parse("fd00:ec2::254/128"), parse("100.100.100.200/32"));

  /**
   * NAT64's well-known prefix, whose last 32 bits are an IPv4 address. (Java turns IPv4-mapped IPv6
   * addresses into IPv4 ones itself.)
   */
  private static final Range NAT64 = parse("64:ff9b::/96");

  private final List<Range> denied;

  private AddressPolicy(List<Range> denied) {
    this.denied = List.copyOf(denied);
  }

  /**
   * A policy that also refuses every range in {@code denyCidrs} ({@code 10.0.0.0/8}, {@code
   * fc00::/7}; a bare address is one host).
   *
   * @throws IllegalArgumentException naming the first range that does not parse
   */
  public static AddressPolicy denying(List<String> denyCidrs) {
    List<Range> ranges = new ArrayList<>();
    for (String cidr : denyCidrs) {
      ranges.add(parse(cidr));
    }
    return new AddressPolicy(ranges);
  }

  /** Whether fetching from {@code address} is allowed. */
  public boolean allows(InetAddress address) {
    return refusal(address).isEmpty();
  }

  /**
   * Why fetching from {@code address} is refused, as the end of "ADDRESS is ...", e.g. {@code a
   * link-local/cloud metadata address}; empty if it is allowed.
   */
  public Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    Optional<String> builtIn = alwaysRefused(address, bytes);
    if (builtIn.isPresent()) {
      return builtIn;
    }
    for (Range range : denied) {
      if (range.contains(bytes)) {
        return Optional.of("in a denied range (--fetch-deny-cidr " + range.text() + ")");
      }
    }
    return Optional.empty();
  }

  private Optional<String> alwaysRefused(InetAddress address, byte[] bytes) {
    if (METADATA_RANGES.stream().anyMatch(r -> r.contains(bytes))) {
      return Optional.of(METADATA);
    }
    if (NAT64.contains(bytes)) {
      byte[] v4 = new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
      try {
        return refusal(InetAddress.getByAddress(v4)).map(why -> why + " (embedded in IPv6)");
      } catch (UnknownHostException e) {
        throw new IllegalStateException("four bytes are always an IPv4 address", e);
      }
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of(METADATA);
    }
    if (address.isAnyLocalAddress() || address instanceof Inet4Address && bytes[0] == 0) {
      return Optional.of("an unspecified address");
    }
    if (address.isMulticastAddress() || address.getHostAddress().equals("255.255.255.255")) {
      return Optional.of("a multicast or broadcast address");
    }
    return Optional.empty();
  }

  /** Parses {@code cidr}, refusing anything that is not an address literal with a prefix. */
  static Range parse(String cidr) {
    String text = cidr.trim();
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    boolean v4 = IPV4.matcher(host).matches();
    if (!v4 && !IPV6.matcher(host).matches()) {
      throw invalid(cidr, "'" + host + "' is not an IPv4 or IPv6 address");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(host).getAddress();
    } catch (UnknownHostException e) {
      throw invalid(cidr, "'" + host + "' is not an IPv4 or IPv6 address");
    }
    int bits = v4 ? 32 : 128;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw invalid(cidr, "the prefix length is not a number");
      }
    }
    if (!v4 && bytes.length == 4) {
      // Java turns an IPv4-mapped literal (::ffff:a.b.c.d) into its IPv4 address.
      prefix -= 96;
      bits = 32;
    }
    if (prefix < 0 || prefix > bits) {
      throw invalid(cidr, "the prefix length must be between 0 and " + bits);
    }
    return new Range(text, mask(bytes, prefix), prefix);
  }

  private static IllegalArgumentException invalid(String cidr, String why) {
    return new IllegalArgumentException("invalid --fetch-deny-cidr '" + cidr + "': " + why);
  }

  private static byte[] mask(byte[] bytes, int prefix) {
    byte[] masked = bytes.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - 8 * i));
      masked[i] &= (byte) (0xff00 >> keep);
    }
    return masked;
  }

  /** An address range: the network's bytes and how many leading bits an address must share. */
  record Range(String text, byte[] network, int prefix) {
    boolean contains(byte[] address) {
      return address.length == network.length
          && java.util.Arrays.equals(mask(address, prefix), network);
    }
  }
}
