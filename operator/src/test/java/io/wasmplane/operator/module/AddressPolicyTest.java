package io.wasmplane.operator.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which addresses module fetching may connect to, and how deny ranges are read. */
class AddressPolicyTest {
  private static final AddressPolicy POLICY =
      AddressPolicy.denying(List.of("10.0.0.0/8", "192.168.7.9", "fc00::/7", "127.0.0.2/32"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          127.0.0.1               | allowed
          ::1                     | allowed
          8.8.8.8                 | allowed
          2001:4860:4860::8888    | allowed
          172.16.0.1              | allowed
          100.100.100.199         | allowed
          11.0.0.1                | allowed
          192.168.7.10            | allowed
          169.254.169.254         | a link-local/cloud metadata address
          169.254.0.1             | a link-local/cloud metadata address
          169.254.255.255         | a link-local/cloud metadata address
          fe80::1                 | a link-local/cloud metadata address
          febf::1                 | a link-local/cloud metadata address
          fd00:ec2::254           | a link-local/cloud metadata address
          100.100.100.200         | a link-local/cloud metadata address
          ::ffff:169.254.169.254  | a link-local/cloud metadata address
          ::ffff:100.100.100.200  | a link-local/cloud metadata address
          64:ff9b::a9fe:a9fe      | a link-local/cloud metadata address (embedded in IPv6)
          64:ff9b::a00:1          | in a denied range (--fetch-deny-cidr 10.0.0.0/8) (embedded in IPv6)
          0.0.0.0                 | an unspecified address
          0.1.2.3                 | an unspecified address
          ::                      | an unspecified address
          224.0.0.1               | a multicast or broadcast address
          255.255.255.255         | a multicast or broadcast address
          ff02::1                 | a multicast or broadcast address
          10.1.2.3                | in a denied range (--fetch-deny-cidr 10.0.0.0/8)
          ::ffff:10.1.2.3         | in a denied range (--fetch-deny-cidr 10.0.0.0/8)
          192.168.7.9             | in a denied range (--fetch-deny-cidr 192.168.7.9)
          fd12:3456::1            | in a denied range (--fetch-deny-cidr fc00::/7)
          127.0.0.2               | in a denied range (--fetch-deny-cidr 127.0.0.2/32)
          """)
  void decidesEachAddress(String address, String expected) throws Exception {
    InetAddress parsed = InetAddress.getByName(address);
    assertThat(POLICY.refusal(parsed).orElse("allowed")).isEqualTo(expected);
    assertThat(POLICY.allows(parsed)).isEqualTo(expected.equals("allowed"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.1/8              | 10.255.255.255  | 11.0.0.0
          0.0.0.0/0               | 203.0.113.7     | ::1
          2001:db8::/32           | 2001:db8:ffff::1 | 2001:db9::1
          ::ffff:10.0.0.0/104     | 10.9.9.9        | 11.0.0.0
          ::/0                    | 2001:db8::1     | 203.0.113.7
          """)
  void parsesRangesAndMatchesOnlyTheirOwnFamily(String cidr, String inside, String outside)
      throws Exception {
    AddressPolicy policy = AddressPolicy.denying(List.of(cidr));
    assertThat(policy.allows(InetAddress.getByName(inside))).isFalse();
    assertThat(policy.allows(InetAddress.getByName(outside))).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          example.com/8     | 'example.com' is not an IPv4 or IPv6 address
          10.0.0.256/8      | '10.0.0.256' is not an IPv4 or IPv6 address
          010.0.0.1/8       | '010.0.0.1' is not an IPv4 or IPv6 address
          1234              | '1234' is not an IPv4 or IPv6 address
          fe80::1%eth0/64   | 'fe80::1%eth0' is not an IPv4 or IPv6 address
          1:2/64            | '1:2' is not an IPv4 or IPv6 address
          10.0.0.0/33       | the prefix length must be between 0 and 32
          10.0.0.0/-1       | the prefix length must be between 0 and 32
          2001:db8::/129    | the prefix length must be between 0 and 128
          10.0.0.0/eight    | the prefix length is not a number
          10.0.0.0/         | the prefix length is not a number
          """)
  void refusesAnInvalidRangeWithAReadableMessage(String cidr, String why) {
    assertThatThrownBy(() -> AddressPolicy.denying(List.of(cidr)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid --fetch-deny-cidr '" + cidr + "': " + why);
  }
}
