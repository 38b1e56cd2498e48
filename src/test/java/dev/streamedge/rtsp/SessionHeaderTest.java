package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Session headers as servers send them in a SETUP reply (RFC 2326 §12.37): the id echoed later, the timeout a
 * client keeps alive by, its default and bounds, and the ids that could not be echoed safely.
 */
@Tag("unit")
class SessionHeaderTest {

  @Test
  void idAndTimeoutAsServersSendThem() {
    assertThat(SessionHeader.parse("12345678;timeout=60")).isEqualTo(new SessionHeader("12345678", 60));
    assertThat(SessionHeader.parse("1185523457")).isEqualTo(new SessionHeader("1185523457", 60));
    assertThat(SessionHeader.parse("  5F3A9C21 ; Timeout = 65 ")).isEqualTo(new SessionHeader("5F3A9C21", 65));
    assertThat(SessionHeader.parse("nO7sr_Hfk-DVZ2Jm;timeout=30")).isEqualTo(new SessionHeader("nO7sr_Hfk-DVZ2Jm", 30));
    assertThat(SessionHeader.parse("abc;foo=bar;TIMEOUT=45;x")).isEqualTo(new SessionHeader("abc", 45));
    assertThat(SessionHeader.parse("abc;")).isEqualTo(new SessionHeader("abc", 60));
  }

  @Test
  void anUnreadableTimeoutIsTheDefaultAndAnOutOfRangeOneIsClamped() {
    assertThat(SessionHeader.parse("a;timeout=").timeoutSeconds()).isEqualTo(60);
    assertThat(SessionHeader.parse("a;timeout=sixty").timeoutSeconds()).isEqualTo(60);
    assertThat(SessionHeader.parse("a;timeout=60.5").timeoutSeconds()).isEqualTo(60);
    assertThat(SessionHeader.parse("a;timeout=-5").timeoutSeconds()).isEqualTo(60);
    assertThat(SessionHeader.parse("a;timeout").timeoutSeconds()).isEqualTo(60);
    assertThat(SessionHeader.parse("a;timeout=0").timeoutSeconds()).isEqualTo(1);
    assertThat(SessionHeader.parse("a;timeout=1").timeoutSeconds()).isEqualTo(1);
    assertThat(SessionHeader.parse("a;timeout=3600").timeoutSeconds()).isEqualTo(3600);
    assertThat(SessionHeader.parse("a;timeout=3601").timeoutSeconds()).isEqualTo(3600);
    assertThat(SessionHeader.parse("a;timeout=99999999999999999999").timeoutSeconds()).isEqualTo(3600);
  }

  @Test
  void anIdThatCouldNotBeEchoedIsRefused() {
    assertThat(SessionHeader.parse("x".repeat(256)).id()).hasSize(256);
    assertRefused("x".repeat(257));
    assertRefused("");
    assertRefused("   ;timeout=60");
    assertRefused(";timeout=60");
    assertRefused("abc def");
    assertRefused("abc\tdef");
    assertRefused("abc\r\nX: y");
    assertRefused("abc\u0000");
    assertRefused("abc\u007f");
    assertRefused("caf\u00e9");
    assertRefused("a, b");
    assertRefused(null);
    assertThatThrownBy(() -> new SessionHeader("a", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionHeader("a", 3601)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionHeader(null, 60)).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertRefused(String value) {
    assertThatThrownBy(() -> SessionHeader.parse(value)).as(value).isInstanceOf(IllegalArgumentException.class);
  }
}
