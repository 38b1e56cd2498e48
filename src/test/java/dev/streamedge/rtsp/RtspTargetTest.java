package dev.streamedge.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The URIs play clients send, from DESCRIBE to the track SETUPs built from the Content-Base, and bad ones. */
@Tag("unit")
class RtspTargetTest {

  static Stream<Arguments> uris() {
    return Stream.of(
        Arguments.of("rtsp://127.0.0.1:8554/live/test", new RtspTarget("live", "test", "", -1)),
        Arguments.of("rtsp://127.0.0.1:8554/live/test/", new RtspTarget("live", "test", "", -1)),
        Arguments.of("rtsp://127.0.0.1:8554/live/test/trackID=0", new RtspTarget("live", "test", "", 0)),
        Arguments.of("rtsp://127.0.0.1:8554/live/test/trackID=7", new RtspTarget("live", "test", "", 7)),
        Arguments.of("rtsp://example.com/live/test/trackid=1", new RtspTarget("live", "test", "", 1)),
        Arguments.of("RTSP://example.com/live/test", new RtspTarget("live", "test", "", -1)),
        Arguments.of("rtsps://example.com:322/cams/door-1", new RtspTarget("cams", "door-1", "", -1)),
        Arguments.of("rtsp://user:pass@example.com:8554/live/test", new RtspTarget("live", "test", "", -1)),
        Arguments.of("rtsp://[::1]:8554/live/test", new RtspTarget("live", "test", "", -1)),
        Arguments.of("/live/test", new RtspTarget("live", "test", "", -1)),
        Arguments.of("/live/test/trackID=2", new RtspTarget("live", "test", "", 2)),
        Arguments.of("rtsp://h/live/test?token=x", new RtspTarget("live", "test", "token=x", -1)),
        Arguments.of("rtsp://h/live/test?", new RtspTarget("live", "test", "", -1)),
        Arguments.of("rtsp://h/live/test/trackID=0?token=x", new RtspTarget("live", "test", "token=x", 0)),
        Arguments.of("rtsp://h/live/test?token=x/trackID=0", new RtspTarget("live", "test", "token=x", 0)),
        Arguments.of("/live/test?token=x/trackID=3", new RtspTarget("live", "test", "token=x", 3)),
        Arguments.of("rtsp://h/live/test?sign=1767225600-ab/cd&x=1",
            new RtspTarget("live", "test", "sign=1767225600-ab/cd&x=1", -1)),
        Arguments.of("rtsp://h/live/test?a=b?c", new RtspTarget("live", "test", "a=b?c", -1)));
  }

  @ParameterizedTest
  @MethodSource("uris")
  void readsAppNameQueryAndTrack(String uri, RtspTarget expected) throws RtspFormatException {
    assertThat(RtspTarget.parse(uri)).isEqualTo(expected);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(null, "no URI"),
        Arguments.of("", "no URI"),
        Arguments.of("*", "neither rtsp:// nor a path"),
        Arguments.of("http://h/live/test", "neither rtsp:// nor a path"),
        Arguments.of("live/test", "neither rtsp:// nor a path"),
        Arguments.of("rtsp://h", "no path"),
        Arguments.of("rtsp://h?x=1", "no path"),
        Arguments.of("rtsp://h/", "not /app/name"),
        Arguments.of("rtsp://h/live", "not /app/name"),
        Arguments.of("rtsp://h/live/", "not an app/name"),
        Arguments.of("rtsp://h//test", "not an app/name"),
        Arguments.of("rtsp://h/live/test//", "is not trackID"),
        Arguments.of("rtsp://h/live/../test", "is not trackID"),
        Arguments.of("rtsp://h/../test", "not an app/name"),
        Arguments.of("rtsp://h/live/..", "not an app/name"),
        Arguments.of("rtsp://h/./test", "not an app/name"),
        Arguments.of("rtsp://h/live/te%73t", "not an app/name"),
        Arguments.of("rtsp://h/live/test/trackID=8", "is not trackID"),
        Arguments.of("rtsp://h/live/test/trackID=", "is not trackID"),
        Arguments.of("rtsp://h/live/test/trackID=01", "is not trackID"),
        Arguments.of("rtsp://h/live/test/stream=0", "is not trackID"),
        Arguments.of("rtsp://h/live/test/trackID=0/x", "not /app/name"),
        Arguments.of("rtsp://h/live/test?t=x/trackID=9", "is not trackID"),
        Arguments.of("rtsp://h/live/test/trackID=0?t=x/trackID=1", "two tracks"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void whatNamesNoStreamIsRefusedWithTheReason(String uri, String message) {
    assertThatThrownBy(() -> RtspTarget.parse(uri)).isInstanceOf(RtspFormatException.class)
        .hasMessageContaining(message);
  }
}
