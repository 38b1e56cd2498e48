package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The URLs of cameras and RTSP servers as an operator writes them: schemes and their ports, credentials in the
 * userinfo (percent-encoded or with a bare @), IPv6 hosts; the request URI without the credentials, the label
 * without secrets, and what is refused with a message that does not repeat the password.
 */
@Tag("unit")
class RtspSourceUrlTest {

  @Test
  void aCameraUrlWithCredentials() {
    RtspSourceUrl url = RtspSourceUrl.parse("rtsp://admin:12345@192.168.1.64/Streaming/Channels/101");
    assertThat(url).isEqualTo(new RtspSourceUrl(false, "192.168.1.64", 554, "admin", "12345",
        "rtsp://192.168.1.64/Streaming/Channels/101"));
    assertThat(url.label()).isEqualTo("rtsp://192.168.1.64:554/Streaming/Channels");
  }

  @Test
  void schemesAndTheirPortsAnyCase() {
    RtspSourceUrl tls = RtspSourceUrl.parse("RTSPS://cam.example.com/live/key");
    assertThat(tls.tls()).isTrue();
    assertThat(tls.port()).isEqualTo(322);
    assertThat(tls.uri()).isEqualTo("rtsps://cam.example.com/live/key");
    assertThat(tls.label()).isEqualTo("rtsps://cam.example.com:322/live");
    RtspSourceUrl plain = RtspSourceUrl.parse("Rtsp://cam.example.com:8554/live/key?token=abc");
    assertThat(plain.tls()).isFalse();
    assertThat(plain.port()).isEqualTo(8554);
    assertThat(plain.user()).isNull();
    assertThat(plain.password()).isNull();
    assertThat(plain.uri()).isEqualTo("rtsp://cam.example.com:8554/live/key?token=abc");
    assertThat(plain.label()).isEqualTo("rtsp://cam.example.com:8554/live");
    RtspSourceUrl written = RtspSourceUrl.parse("rtsp://cam:554/x");
    assertThat(written.uri()).as("the port as written").isEqualTo("rtsp://cam:554/x");
    assertThat(written.label()).isEqualTo("rtsp://cam:554");
    assertThat(RtspSourceUrl.parse("rtsp://cam:00554/x").port()).isEqualTo(554);
    assertThat(RtspSourceUrl.parse("rtsp://cam:65535/x").port()).isEqualTo(65535);
  }

  @Test
  void userinfoIsPercentDecodedAsUtf8() {
    RtspSourceUrl url = RtspSourceUrl.parse("rtsp://us%65r%40site:p%C3%A4ss%3Aw%25rd@cam/a/b/c");
    assertThat(url.user()).isEqualTo("user@site");
    assertThat(url.password()).isEqualTo("päss:w%rd");
    assertThat(url.uri()).isEqualTo("rtsp://cam/a/b/c");
    assertThat(url.label()).isEqualTo("rtsp://cam:554/a/b");
    RtspSourceUrl bareAt = RtspSourceUrl.parse("rtsp://admin:p@ss:w@rd@cam/live");
    assertThat(bareAt.user()).isEqualTo("admin");
    assertThat(bareAt.password()).as("the last @ ends the userinfo").isEqualTo("p@ss:w@rd");
    assertThat(bareAt.host()).isEqualTo("cam");
    RtspSourceUrl atInPath = RtspSourceUrl.parse("rtsp://u:p@cam/a@b/c@d");
    assertThat(atInPath.password()).as("an @ in the path is the path's").isEqualTo("p");
    assertThat(atInPath.uri()).isEqualTo("rtsp://cam/a@b/c@d");
    assertThat(atInPath.label()).isEqualTo("rtsp://cam:554/a@b");
    RtspSourceUrl userOnly = RtspSourceUrl.parse("rtsp://viewer@cam/live");
    assertThat(userOnly.user()).isEqualTo("viewer");
    assertThat(userOnly.password()).isNull();
    assertThat(RtspSourceUrl.parse("rtsp://viewer:@cam/live").password()).isEmpty();
    assertThat(RtspSourceUrl.parse("rtsp://a+b:c+d@cam/live").password()).as("+ is no space in a URL")
        .isEqualTo("c+d");
  }

  @Test
  void ipv6HostsAreBracketedInTheUriOnly() {
    RtspSourceUrl url = RtspSourceUrl.parse("rtsp://u:p@[2001:db8::1]:8554/cam/1");
    assertThat(url.host()).isEqualTo("2001:db8::1");
    assertThat(url.port()).isEqualTo(8554);
    assertThat(url.uri()).isEqualTo("rtsp://[2001:db8::1]:8554/cam/1");
    assertThat(url.label()).isEqualTo("rtsp://[2001:db8::1]:8554/cam");
    RtspSourceUrl defaultPort = RtspSourceUrl.parse("rtsp://[::ffff:192.168.1.64]/x");
    assertThat(defaultPort.host()).isEqualTo("::ffff:192.168.1.64");
    assertThat(defaultPort.port()).isEqualTo(554);
    assertThat(defaultPort.uri()).isEqualTo("rtsp://[::ffff:192.168.1.64]/x");
  }

  @Test
  void neitherTheLabelNorToStringShowsThePassword() {
    RtspSourceUrl url = RtspSourceUrl.parse("rtsp://admin:s3cr3t@cam:554/live/key?token=t0k3n");
    assertThat(url.toString()).doesNotContain("s3cr3t").contains("password=***").contains("user=admin");
    assertThat(url.label()).isEqualTo("rtsp://cam:554/live").doesNotContain("s3cr3t", "admin", "key", "t0k3n");
    assertThat(RtspSourceUrl.parse("rtsp://cam/x").toString()).contains("password=null");
  }

  @Test
  void whatIsRefused() {
    assertRefused(null, "no RTSP URL");
    assertRefused("", "no RTSP URL");
    assertRefused("http://cam/x", "rtsp:// or rtsps://");
    assertRefused("rtsp:/cam/x", "rtsp:// or rtsps://");
    assertRefused("rtspt://cam/x", "rtsp:// or rtsps://");
    assertRefused("rtsp://cam", "no path");
    assertRefused("rtsp://cam/", "no path");
    assertRefused("rtsp://cam/?x=1", "no path");
    assertRefused("rtsp://cam?x=1", "no path");
    assertRefused("rtsp:///x", "no host");
    assertRefused("rtsp://admin:pw@/x", "no host");
    assertRefused("rtsp://cam:0/x", "port");
    assertRefused("rtsp://cam:65536/x", "port");
    assertRefused("rtsp://cam:/x", "port");
    assertRefused("rtsp://cam:123456/x", "port");
    assertRefused("rtsp://cam:-1/x", "port");
    assertRefused("rtsp://[2001:db8::1/x", "without its ]");
    assertRefused("rtsp://[cam]/x", "not an IPv6 address");
    assertRefused("rtsp://[fe80::1%25eth0]/x", "not an IPv6 address");
    assertRefused("rtsp://[::1]x/x", "after its IPv6 address");
    assertRefused("rtsp://c%61m/x", "neither a name nor an address");
    assertRefused("rtsp://cam/my stream", "a space");
    assertRefused("rtsp://cam/x\r\nX: y", "character 0xd");
    assertRefused("rtsp://cam/caf\u00e9", "character 0xe9");
    assertRefused("rtsp://cam/x#frag", "fragment");
    assertRefused("rtsp://admin:a%2@cam/x", "not %XX");
    assertRefused("rtsp://admin:a%zz@cam/x", "not %XX");
    assertRefused("rtsp://admin:%ff@cam/x", "not UTF-8");
    assertRefused("rtsp://admin%0d%0aX:pw@cam/x", "control character");
    assertRefused("rtsp://cam/" + "x".repeat(5000), "over 4096");
  }

  @Test
  void aPasswordThatBreaksTheUrlIsNotRepeatedInTheMessage() {
    // An unencoded / or ? ends the authority early: what looks like a port is part of the password.
    assertThatThrownBy(() -> RtspSourceUrl.parse("rtsp://admin:s3cr/t@cam/x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("percent-encoded")
        .message().doesNotContain("s3cr");
    assertThatThrownBy(() -> RtspSourceUrl.parse("rtsp://adm!n:s3cr?t@cam/x"))
        .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("s3cr", "adm!n");
  }

  private static void assertRefused(String url, String message) {
    assertThatThrownBy(() -> RtspSourceUrl.parse(url)).as(url).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
