package dev.streamedge.rtsp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TrackControlsTest {

  @Test
  void ffmpegsStreamIdsAreAppendedToTheAnnounceUri() {
    List<String> controls = List.of("streamid=0", "streamid=1");
    assertThat(TrackControls.match(controls, "rtsp://127.0.0.1:8554/live/test/streamid=0")).isZero();
    assertThat(TrackControls.match(controls, "rtsp://127.0.0.1:8554/live/test/streamid=1")).isEqualTo(1);
    assertThat(TrackControls.match(controls, "rtsp://127.0.0.1:8554/live/test/streamid=2")).isEqualTo(-1);
  }

  @Test
  void gstreamersStreamNamesAndTrackIdsMatchWhateverTheCaseOrHost() {
    assertThat(TrackControls.match(List.of("stream=0", "stream=1"), "rtsp://proxy/live/x/stream=1/")).isEqualTo(1);
    assertThat(TrackControls.match(List.of("trackID=1", "trackID=2"), "rtsp://h/live/x/trackid=2")).isEqualTo(1);
  }

  @Test
  void anAbsoluteControlIsComparedByItsPath() {
    List<String> controls = List.of("rtsp://camera.local/live/x/video", "rtsp://camera.local/live/x/audio");
    assertThat(TrackControls.match(controls, "rtsp://10.0.0.1:8554/live/x/audio")).isEqualTo(1);
  }

  @Test
  void noControlOrTwoMatchesNameNoTrack() {
    assertThat(TrackControls.match(List.of("", "*"), "rtsp://h/live/x")).isEqualTo(-1);
    assertThat(TrackControls.match(List.of("a", "a"), "rtsp://h/live/x/a")).isEqualTo(-1);
  }
}
