package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** nginx-rtmp's allow and deny lines per application block: an app's own list, else the others', else open. */
@Tag("unit")
class AppAddressRulesTest {

  @Test
  void aValueWithoutSectionsHoldsForEveryApp() {
    AppAddressRules rules = AppAddressRules.parse("allow 127.0.0.1, allow ::1, deny all");
    assertThat(rules.allows("live", "127.0.0.1")).isTrue();
    assertThat(rules.allows("other", "0:0:0:0:0:0:0:1")).isTrue();
    assertThat(rules.allows("live", "10.0.0.1")).isFalse();
    assertThat(rules.allows("other", "10.0.0.1")).isFalse();
    assertThat(AppAddressRules.parse("")).isEqualTo(AppAddressRules.OPEN);
    assertThat(AppAddressRules.OPEN.allows("live", "192.0.2.1")).isTrue();
  }

  @Test
  void anAppsSectionReplacesTheOthersListAsAnApplicationBlockDoes() {
    AppAddressRules rules = AppAddressRules.parse(
        "live=allow 10.0.0.0/8, deny all; studio=; *=deny 192.0.2.0/24, allow ::1, deny fd00::/8");
    assertThat(rules.allows("live", "10.9.8.7")).isTrue();
    assertThat(rules.allows("live", "127.0.0.1")).isFalse();
    assertThat(rules.allows("live", "192.0.2.1")).as("live's own list, not the others'").isFalse();
    assertThat(rules.allows("studio", "192.0.2.1")).as("an empty section: every address").isTrue();
    assertThat(rules.allows("tv", "192.0.2.1")).isFalse();
    assertThat(rules.allows("tv", "198.51.100.1")).isTrue();
    assertThat(rules.allows("tv", "fd00::5")).as("IPv6 in a section").isFalse();
    assertThat(rules.of("studio").open()).isTrue();
    assertThat(rules.of("tv").open()).isFalse();
  }

  @Test
  void withoutAStarTheAppsWithNoSectionAreOpen() {
    AppAddressRules rules = AppAddressRules.parse("live=deny all;");
    assertThat(rules.allows("live", "127.0.0.1")).isFalse();
    assertThat(rules.allows("other", "127.0.0.1")).isTrue();
    assertThat(rules.of("other").open()).isTrue();
  }

  @Test
  void badSectionsAreRefusedWithWhatIsWrong() {
    assertThatThrownBy(() -> AppAddressRules.parse("live=deny all; live=allow all"))
        .hasMessage("app given twice: live");
    assertThatThrownBy(() -> AppAddressRules.parse("*=deny all; *=allow all")).hasMessage("* given twice");
    assertThatThrownBy(() -> AppAddressRules.parse("live=deny everyone")).hasMessage("live: not an IP address: everyone");
    assertThatThrownBy(() -> AppAddressRules.parse("li/ve=deny all")).hasMessage("not app=<allow|deny address,...>: li/ve=deny all");
    assertThatThrownBy(() -> AppAddressRules.parse("deny all; live=allow all"))
        .hasMessage("not app=<allow|deny address,...>: deny all");
  }
}
