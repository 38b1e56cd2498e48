package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** nginx-rtmp's allow and deny lines: the first match decides, no match allows, blocks of both IP versions. */
@Tag("unit")
class AddressRulesTest {

  @Test
  void theFirstMatchingItemDecidesAndNoMatchAllows() {
    AddressRules rules = AddressRules.parse("deny 10.1.2.3, allow 10.0.0.0/8, deny 192.168.0.0/16");
    assertThat(rules.allows("10.1.2.3")).isFalse();
    assertThat(rules.allows("10.1.2.4")).isTrue();
    assertThat(rules.allows("192.168.7.7")).isFalse();
    assertThat(rules.allows("172.16.0.1")).as("no item matches: allowed, as in nginx-rtmp").isTrue();

    AddressRules onlyLocal = AddressRules.parse("allow 127.0.0.1, allow ::1, deny all");
    assertThat(onlyLocal.allows("127.0.0.1")).isTrue();
    assertThat(onlyLocal.allows("0:0:0:0:0:0:0:1")).as("::1 as Java writes it").isTrue();
    assertThat(onlyLocal.allows("127.0.0.2")).isFalse();
    assertThat(onlyLocal.allows("2001:db8::1")).isFalse();
  }

  @Test
  void blocksMatchOnTheirPrefixBitsOnly() {
    AddressRules rules = AddressRules.parse("allow 192.168.4.0/22, allow fd00::/8, allow 0.0.0.0/0, deny all");
    assertThat(AddressRules.parse("allow 192.168.4.0/22, deny all").allows("192.168.7.255")).isTrue();
    assertThat(AddressRules.parse("allow 192.168.4.0/22, deny all").allows("192.168.8.0")).isFalse();
    assertThat(AddressRules.parse("allow 192.168.4.0/22, deny all").allows("192.168.3.255")).isFalse();
    assertThat(AddressRules.parse("allow fd00::/8, deny all").allows("fdff:1::2")).isTrue();
    assertThat(AddressRules.parse("allow fd00::/8, deny all").allows("fe80::1")).isFalse();
    assertThat(rules.allows("8.8.8.8")).as("/0 matches every IPv4 address").isTrue();
    assertThat(AddressRules.parse("allow 10.0.0.1/8, deny all").allows("10.200.0.0"))
        .as("bits past the prefix mean nothing, as nginx takes them").isTrue();
  }

  @Test
  void ipv4ClientsOnAnIpv6SocketMatchAsIpv4() {
    AddressRules rules = AddressRules.parse("allow 203.0.113.0/24, deny all");
    assertThat(rules.allows("::ffff:203.0.113.9")).isTrue();
    assertThat(rules.allows("0:0:0:0:0:ffff:cb00:7109")).isTrue();
    assertThat(rules.allows("::ffff:198.51.100.1")).isFalse();
  }

  @Test
  void anEmptyListAllowsEveryoneWithoutALookAndTextThatIsNoAddressIsRefused() {
    assertThat(AddressRules.parse("").open()).isTrue();
    assertThat(AddressRules.parse("").allows("anything")).isTrue();
    AddressRules rules = AddressRules.parse("deny 10.0.0.0/8");
    assertThat(rules.allows("")).isFalse();
    assertThat(rules.allows("localhost")).as("names are never resolved").isFalse();
  }

  @Test
  void malformedItemsAreRefused() {
    for (String bad : new String[] {"allow", "permit 1.2.3.4", "allow 1.2.3", "allow 1.2.3.4/33", "allow ::1/129",
        "allow localhost", "allow 1.2.3.4,", "allow 1.2.3.4 deny all", "deny 10.0.0.0/x", "Allow all"}) {
      assertThatThrownBy(() -> AddressRules.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
