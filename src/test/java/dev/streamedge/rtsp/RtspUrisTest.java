package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The base and track URIs a client builds from a DESCRIBE reply (RFC 2326 §C.1.1), with the controls that
 * cameras and servers put in their SDP: relative, absolute, {@code *}, none.
 */
@Tag("unit")
class RtspUrisTest {

  private static final String BASE = "rtsp://192.168.1.64:554/Streaming/Channels/101/";

  @Test
  void aRelativeControlIsAppendedWithOneSlash() {
    assertThat(RtspUris.trackUri(BASE, "trackID=1")).isEqualTo(BASE + "trackID=1");
    assertThat(RtspUris.trackUri("rtsp://cam/live", "trackID=1")).isEqualTo("rtsp://cam/live/trackID=1");
    assertThat(RtspUris.trackUri("rtsp://cam/live?token=x", "streamid=0"))
        .isEqualTo("rtsp://cam/live?token=x/streamid=0");
    assertThat(RtspUris.trackUri("rtsp://cam/live", " track1 ")).isEqualTo("rtsp://cam/live/track1");
  }

  @Test
  void anAbsoluteControlReplacesTheBase() {
    assertThat(RtspUris.trackUri(BASE, "rtsp://10.0.0.2/other/track1")).isEqualTo("rtsp://10.0.0.2/other/track1");
    assertThat(RtspUris.trackUri(BASE, "RTSP://10.0.0.2/x")).isEqualTo("RTSP://10.0.0.2/x");
    assertThat(RtspUris.trackUri(BASE, "rtsps://10.0.0.2/x")).isEqualTo("rtsps://10.0.0.2/x");
    assertThat(RtspUris.trackUri(BASE, "RtSpS://10.0.0.2/x")).isEqualTo("RtSpS://10.0.0.2/x");
    assertThat(RtspUris.trackUri(BASE, "rtspx://10.0.0.2/x")).isEqualTo(BASE + "rtspx://10.0.0.2/x");
  }

  @Test
  void noControlOrAStarIsTheBaseItself() {
    assertThat(RtspUris.trackUri(BASE, null)).isEqualTo(BASE);
    assertThat(RtspUris.trackUri(BASE, "")).isEqualTo(BASE);
    assertThat(RtspUris.trackUri(BASE, "  ")).isEqualTo(BASE);
    assertThat(RtspUris.trackUri(BASE, "*")).isEqualTo(BASE);
    assertThatThrownBy(() -> RtspUris.trackUri(null, "trackID=1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBaseIsContentBaseThenContentLocationThenTheRequestUri() {
    String request = "rtsp://cam/live";
    assertThat(RtspUris.base(request, BASE, "rtsp://cam/location/")).isEqualTo(BASE);
    assertThat(RtspUris.base(request, null, "rtsp://cam/location/")).isEqualTo("rtsp://cam/location/");
    assertThat(RtspUris.base(request, " ", "rtsp://cam/location/")).isEqualTo("rtsp://cam/location/");
    assertThat(RtspUris.base(request, "", "")).isEqualTo(request);
    assertThat(RtspUris.base(request, null, null)).isEqualTo(request);
  }
}
