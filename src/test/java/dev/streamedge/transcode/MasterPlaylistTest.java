package dev.streamedge.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The master playlist's text (RFC 8216 §4.3.4.2). */
@Tag("unit")
class MasterPlaylistTest {

  @Test
  void eachVariantIsAStreamInfWithItsAttributesThenItsUri() {
    String text = MasterPlaylist.of(List.of(
        new MasterPlaylist.Variant("live/test/ts.m3u8", 2_750_000, 2_600_000, 1280, 720, 29.97, "avc1.64001f,mp4a.40.2"),
        new MasterPlaylist.Variant("test_360p.m3u8", 660_000, 0, 640, 360, 0, "")));
    assertThat(text).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-STREAM-INF:BANDWIDTH=2750000,AVERAGE-BANDWIDTH=2600000,RESOLUTION=1280x720,FRAME-RATE=29.970,\
        CODECS="avc1.64001f,mp4a.40.2"
        live/test/ts.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=660000,RESOLUTION=640x360
        test_360p.m3u8
        """);
  }

  @Test
  void everyVariantIsListedByThePlaylistOfTheAppsHlsVariantWithTheSameCodecs() {
    List<LadderShare.Variant> ladder = List.of(
        new LadderShare.Variant("", 2_750_000, 0, 1280, 720, 0, "avc1.64001f,mp4a.40.2"),
        new LadderShare.Variant("360p", 900_000, 0, 640, 360, 0, "avc1.64001e,mp4a.40.2"));
    for (String file : List.of("ll.m3u8", "fmp4.m3u8", "ts.m3u8")) {
      String text = TranscodeService.render(new StreamKey("live", "test"), "live/", file, ladder).orElseThrow();
      assertThat(text).endsWith("""
          #EXT-X-STREAM-INF:BANDWIDTH=2750000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2"
          live/test/%s
          #EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"
          live/test_360p/%s
          """.formatted(file, file));
    }
  }

  @Test
  void bandwidthIsAlwaysThereAndPositive() {
    assertThat(MasterPlaylist.of(List.of(new MasterPlaylist.Variant("a.m3u8", 0, 0, 0, 0, 0, ""))))
        .contains("#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n");
  }
}
