package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.testing.Mp4Check;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A segment's audio ends where its successor's first picture is shown: at the keyframe's presentation
 * time, which with B-frames comes its composition offset after its decode time. Every variant of a ladder
 * then cuts its audio at the same frame, whether or not its encoder uses B-frames.
 */
@Tag("unit")
class HlsAudioCutTest {

  private static final String AVC_RECORD = "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";
  private static final long EPOCH = 1_700_000_000_000L;
  /** Samples per AAC frame and the rate: a frame lasts 23.2 ms. */
  private static final int SAMPLES = 1024;
  private static final int RATE = 44_100;

  @ParameterizedTest
  @ValueSource(ints = {0, 40, 80})
  void eachSegmentsAudioEndsWhereTheNextKeyframeIsShown(int compositionOffset) throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(1), Duration.ofMillis(200), 20, 0, 1 << 20, 1);
    feed(muxer, 150, compositionOffset, frame -> { });
    List<HlsSegment> segments = muxer.segments();
    assertThat(segments).hasSizeGreaterThanOrEqualTo(4);
    for (int i = 0; i < segments.size(); i++) {
      List<Mp4Check.TrackFragment> fragments = Mp4Check.fragments(segments.get(i).fmp4().getBytes());
      Mp4Check.TrackFragment first = fragments.stream().filter(f -> f.trackId() == 2).findFirst().orElseThrow();
      Mp4Check.TrackFragment last = fragments.stream().filter(f -> f.trackId() == 2).reduce((a, b) -> b).orElseThrow();
      double startMillis = first.baseDecodeTime() * 1000.0 / RATE;
      double endMillis = (last.baseDecodeTime() + last.duration()) * 1000.0 / RATE;
      // Segment i holds the pictures shown from keyframe i (at i s plus the offset) to keyframe i + 1.
      double shownFrom = i * 1000.0 + compositionOffset;
      double shownTo = shownFrom + 1000;
      double frame = SAMPLES * 1000.0 / RATE;
      if (i > 0) {
        assertThat(startMillis).as("segment %d's audio starts near %s ms", i, shownFrom).isBetween(shownFrom - frame,
            shownFrom + frame);
      }
      assertThat(endMillis).as("segment %d's audio ends near %s ms", i, shownTo).isBetween(shownTo - frame,
          shownTo + frame);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aSegmentEndsWhenItsKeyframeArrivesUnlessItsAudioMustAlignWithALadder(boolean aligned) throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(1), Duration.ofMillis(200), 20, 0, 1 << 20, 1);
    muxer.alignAudioCuts(() -> aligned);
    int[] finishedAtKeyframe = {-1};
    feed(muxer, 50, 80, frame -> {
      if (frame == 25) {
        finishedAtKeyframe[0] = muxer.segments().size();
      }
    });
    // The second keyframe (1000 ms, shown at 1080) ends the first segment at once, or once the audio
    // reaches 1080 ms, three frames later.
    assertThat(finishedAtKeyframe[0]).isEqualTo(aligned ? 0 : 1);
    List<Mp4Check.TrackFragment> fragments = Mp4Check.fragments(muxer.segments().get(0).fmp4().getBytes());
    Mp4Check.TrackFragment last = fragments.stream().filter(f -> f.trackId() == 2).reduce((a, b) -> b).orElseThrow();
    double endMillis = (last.baseDecodeTime() + last.duration()) * 1000.0 / RATE;
    double frame = SAMPLES * 1000.0 / RATE;
    double cut = aligned ? 1080 : 1000;
    assertThat(endMillis).as("the first segment's audio ends near %s ms", cut).isBetween(cut - frame, cut + frame);
  }

  /**
   * Feeds the sequence headers, then video frames 0 to {@code lastFrame} with {@code compositionOffset} ms,
   * in FLV order: by decode time, audio first at a tie; a keyframe every second, 25 frames a second.
   * {@code afterFrame} gets each video frame's number once the muxer has it.
   */
  private static void feed(HlsMuxer muxer, int lastFrame, int compositionOffset, IntConsumer afterFrame)
      throws Exception {
    muxer.packet(config(MediaKind.VIDEO, "1700000000" + AVC_RECORD), EPOCH);
    muxer.packet(config(MediaKind.AUDIO, "af001210"), EPOCH);
    int audio = 0;
    for (int frame = 0; frame <= lastFrame; frame++) {
      long dts = frame * 40L;
      while (audioPts(audio) <= dts) {
        muxer.packet(packet(MediaKind.AUDIO, audioPts(audio), "af01" + "21".repeat(40)), EPOCH + audioPts(audio));
        audio++;
      }
      boolean key = frame % 25 == 0;
      muxer.packet(packet(MediaKind.VIDEO, dts, (key ? "17" : "27") + "01" + String.format("%06x", compositionOffset)
          + "00000064" + (key ? "65" : "41") + "00".repeat(99)), EPOCH + dts);
      afterFrame.accept(frame);
    }
  }

  private static long audioPts(int frame) {
    return Math.round(frame * SAMPLES * 1000.0 / RATE);
  }

  private static MediaPacket config(MediaKind kind, String body) {
    return new MediaPacket(kind, 0, MediaPacket.Role.CONFIG, Unpooled.wrappedBuffer(HexFormat.of().parseHex(body)), 0);
  }

  private static MediaPacket packet(MediaKind kind, long ts, String body) {
    return new MediaPacket(kind, ts, MediaPacket.Role.FRAME, Unpooled.wrappedBuffer(HexFormat.of().parseHex(body)), 0);
  }
}
