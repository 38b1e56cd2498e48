package dev.streamedge.rtmp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Client URLs: each of the six schemes picks its variant and, without a port, the port ffmpeg and
 * librtmp use; the app is everything up to the last slash and the name keeps its query; anything else
 * is refused with the form expected.
 */
@Tag("unit")
class RtmpUrlTest {

  @Test
  void eachSchemePicksItsVariantAndDefaultPort() {
    assertThat(RtmpUrl.parse("rtmp://h/live/k")).isEqualTo(new RtmpUrl(Variant.RTMP, "h", 1935, "live", "k"));
    assertThat(RtmpUrl.parse("rtmps://h/live/k")).isEqualTo(new RtmpUrl(Variant.RTMPS, "h", 443, "live", "k"));
    assertThat(RtmpUrl.parse("rtmpe://h/live/k")).isEqualTo(new RtmpUrl(Variant.RTMPE, "h", 1935, "live", "k"));
    assertThat(RtmpUrl.parse("rtmpt://h/live/k")).isEqualTo(new RtmpUrl(Variant.RTMPT, "h", 80, "live", "k"));
    assertThat(RtmpUrl.parse("rtmpts://h/live/k")).isEqualTo(new RtmpUrl(Variant.RTMPTS, "h", 443, "live", "k"));
    assertThat(RtmpUrl.parse("RTMPTE://h:8080/live/k")).isEqualTo(new RtmpUrl(Variant.RTMPTE, "h", 8080, "live", "k"));
    assertThat(Variant.RTMPTE.tunnel() && Variant.RTMPTE.encrypted() && !Variant.RTMPTE.tls()).isTrue();
    assertThat(Variant.RTMPTS.tunnel() && Variant.RTMPTS.tls() && !Variant.RTMPTS.encrypted()).isTrue();
  }

  @Test
  void theAppRunsToTheLastSlashAndTheNameKeepsItsQuery() {
    RtmpUrl url = RtmpUrl.parse("rtmpt://[::1]:8080/live/room/show?sign=abc");
    assertThat(url).isEqualTo(new RtmpUrl(Variant.RTMPT, "::1", 8080, "live/room", "show?sign=abc"));
    assertThat(url.tcUrl()).isEqualTo("rtmpt://[::1]:8080/live/room");
  }

  @Test
  void otherUrlsAreRefused() {
    for (String bad : new String[] {"http://h/live/k", "rtmp://h/k", "rtmp://h/live/", "rtmp:///live/k", "rtmp"}) {
      assertThatThrownBy(() -> RtmpUrl.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("rtmp[s|e|t|ts|te]://host[:port]/app/name");
    }
  }
}
