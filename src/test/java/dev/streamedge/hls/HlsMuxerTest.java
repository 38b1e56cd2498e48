package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cutting, numbering and the playlist, with synthetic H.264/AAC packets (not decodable media). */
@Tag("unit")
class HlsMuxerTest {

  private static final String AVC_RECORD = "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";
  private static final long EPOCH = 1_700_000_000_000L;

  @Test
  void notReadyBeforeTheFirstSegmentIsFinished() throws Exception {
    HlsMuxer muxer = muxer(2, 5);
    assertThat(muxer.ready()).isFalse();
    assertThatThrownBy(() -> muxer.playlist("")).isInstanceOf(IllegalStateException.class);
    muxer.packet(videoConfig(0), EPOCH);
    video(muxer, 0, 1000, 25, 1900);
    assertThat(muxer.ready()).isFalse();
    assertThat(muxer.targetDurationSeconds()).isZero();
  }

  @Test
  void cutsAtTheFirstKeyframeOnceTheTargetHasPassed() throws Exception {
    HlsMuxer muxer = muxer(2, 10);
    muxer.packet(videoConfig(0), EPOCH);
    video(muxer, 0, 1000, 25, 9000); // keyframes every second
    assertThat(muxer.segments()).extracting(HlsSegment::durationMillis).containsExactly(2000L, 2000L, 2000L, 2000L);
    assertThat(muxer.segments()).extracting(HlsSegment::programDateTimeMillis)
        .containsExactly(EPOCH, EPOCH + 2000, EPOCH + 4000, EPOCH + 6000);
    assertThat(muxer.targetDurationSeconds()).isEqualTo(2);
  }

  @Test
  void aLongerFirstGopRaisesTheTargetForGood() throws Exception {
    HlsMuxer muxer = muxer(2, 10);
    muxer.packet(videoConfig(0), EPOCH);
    video(muxer, 0, 3000, 25, 9500);
    assertThat(muxer.targetDurationSeconds()).isEqualTo(3);
    assertThat(muxer.segments()).extracting(HlsSegment::durationMillis).containsExactly(3000L, 3000L, 3000L);
    assertThat(muxer.playlist("")).contains("#EXT-X-TARGETDURATION:3\n");
  }

  @Test
  void gopsLongerThanTheTargetAreCutBeforeTheyWouldRoundAboveIt() throws Exception {
    HlsMuxer muxer = muxer(2, 20);
    muxer.packet(videoConfig(0), EPOCH);
    video(muxer, 0, 1000, 25, 3999);
    video(muxer, 4000, 10_000, 25, 30_000);
    assertThat(muxer.targetDurationSeconds()).isEqualTo(2);
    List<HlsSegment> segments = muxer.segments();
    assertThat(segments).hasSizeGreaterThan(10);
    // §4.3.3.1: each EXTINF rounded to the nearest integer is at most the target.
    assertThat(segments).allSatisfy(s -> assertThat(s.durationMillis()).isLessThan(2500));
    assertThat(segments).extracting(HlsSegment::sequence).isSorted().doesNotHaveDuplicates();
    long total = segments.stream().mapToLong(HlsSegment::durationMillis).sum();
    assertThat(segments.get(segments.size() - 1).programDateTimeMillis() - EPOCH)
        .isEqualTo(total - segments.get(segments.size() - 1).durationMillis());
  }

  @Test
  void aFullSegmentIsCutBetweenKeyframes() throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), 20, 0, 10_000, 1);
    muxer.packet(videoConfig(0), EPOCH);
    video(muxer, 0, 10_000, 25, 5000, 2000, EPOCH); // 2000-byte frames: about 5 per segment
    assertThat(muxer.segments()).hasSizeGreaterThan(10)
        .allSatisfy(s -> assertThat(s.data().length()).isLessThan(10_000 + 2500))
        .allSatisfy(s -> assertThat(s.durationMillis()).isPositive());
  }

  @Test
  void audioOnlyIsCutAtAnyFrameOnceTheTargetHasPassed() throws Exception {
    HlsMuxer muxer = muxer(2, 10);
    muxer.packet(audioConfig(0), EPOCH);
    for (int i = 0; i * 1024 * 1000L / 44100 < 7000; i++) {
      long ts = i * 1024 * 1000L / 44100;
      muxer.packet(packet(MediaKind.AUDIO, ts, "af01 21" + "00".repeat(100)), EPOCH + ts);
    }
    assertThat(muxer.segments()).hasSize(3)
        .allSatisfy(s -> assertThat(s.durationMillis()).isBetween(1950L, 2000L));
    assertThat(muxer.targetDurationSeconds()).isEqualTo(2);
  }

  @Test
  void videoRunStartsAtAKeyframeAndDropsWhatCameBefore() throws Exception {
    HlsMuxer muxer = muxer(1, 10);
    muxer.packet(packet(MediaKind.VIDEO, 0, "2701000000 00000002 41aa"), EPOCH); // before the config
    muxer.packet(videoConfig(0), EPOCH);
    muxer.packet(audioConfig(0), EPOCH);
    muxer.packet(packet(MediaKind.AUDIO, 10, "af01 21"), EPOCH);
    muxer.packet(packet(MediaKind.VIDEO, 20, "2701000000 00000002 41aa"), EPOCH);
    video(muxer, 40, 1000, 25, 2100);
    assertThat(muxer.segments()).first().satisfies(s -> {
      assertThat(s.programDateTimeMillis()).isEqualTo(EPOCH + 40);
      assertThat(firstVideoDts(s.data())).isEqualTo(40 * 90);
    });
  }

  @Test
  void otherCodecsAndScriptDataAreSkipped() throws Exception {
    HlsMuxer muxer = muxer(1, 10);
    for (long ts = 0; ts < 5000; ts += 40) {
      muxer.packet(packet(MediaKind.VIDEO, ts, "14 0000"), EPOCH + ts); // On2 VP6
      muxer.packet(packet(MediaKind.AUDIO, ts, "2f fffb"), EPOCH + ts); // MP3
      muxer.packet(packet(MediaKind.DATA, ts, "02000a6f6e4d657461446174610500"), EPOCH + ts);
    }
    assertThat(muxer.ready()).isFalse();
  }

  @Test
  void malformedPacketsThrowAndAreDropped() throws Exception {
    HlsMuxer muxer = muxer(1, 10);
    assertThatThrownBy(() -> muxer.packet(packet(MediaKind.VIDEO, 0, "1700000000 02"), EPOCH))
        .isInstanceOf(MediaFormatException.class);
    muxer.packet(videoConfig(0), EPOCH);
    assertThatThrownBy(() -> muxer.packet(packet(MediaKind.VIDEO, 0, "1701000000 00000009 65"), EPOCH))
        .isInstanceOf(MediaFormatException.class);
    video(muxer, 0, 1000, 25, 3100);
    assertThat(muxer.segments()).hasSize(3);
    assertThat(firstVideoDts(muxer.segments().get(0).data())).isZero();
  }

  @Test
  void discontinuityFinishesTheSegmentAndTagsTheNextOne() throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), 3, 1, 1 << 20, 1);
    muxer.packet(videoConfig(0), EPOCH);
    video(muxer, 0, 2000, 25, 4999);
    muxer.discontinuity();
    // The next session starts its timestamps at 0 again, and sends its configuration again.
    muxer.packet(videoConfig(0), EPOCH + 10_000);
    video(muxer, 0, 2000, 25, 4999, 100, EPOCH + 10_000);
    muxer.discontinuity();
    List<HlsSegment> segments = muxer.segments();
    assertThat(segments).extracting(HlsSegment::sequence).containsExactly(3L, 4L, 5L, 6L);
    assertThat(segments).extracting(HlsSegment::durationMillis).containsExactly(1000L, 2000L, 2000L, 1000L);
    assertThat(segments).extracting(HlsSegment::discontinuity).containsExactly(false, true, false, false);
    assertThat(segments).extracting(HlsSegment::discontinuitySequence).containsExactly(0L, 1L, 1L, 1L);
    // The restarted run continues the timeline where the previous one ended (5000 ms).
    assertThat(firstVideoDts(segments.get(1).data())).isEqualTo(5000 * 90);
    assertThat(muxer.playlist("seg/")).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:3
        #EXT-X-TARGETDURATION:2
        #EXT-X-MEDIA-SEQUENCE:4
        #EXT-X-DISCONTINUITY-SEQUENCE:0
        #EXT-X-DISCONTINUITY
        #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:30.000Z
        #EXTINF:2.000,
        seg/4.ts
        #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:32.000Z
        #EXTINF:2.000,
        seg/5.ts
        #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:34.000Z
        #EXTINF:1.000,
        seg/6.ts
        """);
    assertThat(muxer.segment(2)).isEmpty();
    assertThat(muxer.segment(3)).isPresent();
    assertThat(muxer.segment(7)).isEmpty();
  }

  @Test
  void discontinuitySequenceCountsTagsThatLeftThePlaylist() throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(1), 2, 0, 1 << 20, 1);
    for (int session = 0; session < 3; session++) {
      muxer.packet(videoConfig(0), EPOCH);
      video(muxer, 0, 1000, 25, 1999, 100, EPOCH + session * 10_000L);
      muxer.discontinuity();
    }
    String playlist = muxer.playlist("");
    assertThat(playlist).contains("#EXT-X-MEDIA-SEQUENCE:5\n", "#EXT-X-DISCONTINUITY-SEQUENCE:1\n");
    assertThat(playlist.indexOf("#EXT-X-DISCONTINUITY\n")).isGreaterThan(0);
    assertThat(playlist).doesNotContain("#EXT-X-ENDLIST");
  }

  @Test
  void timestampsRunningBackwardsWithinASessionStartADiscontinuity() throws Exception {
    HlsMuxer muxer = muxer(2, 10);
    muxer.packet(videoConfig(0), EPOCH);
    video(muxer, 10_000, 1000, 25, 13_000);
    video(muxer, 0, 1000, 25, 5000);
    assertThat(muxer.segments()).extracting(HlsSegment::discontinuity).contains(true);
    assertThat(muxer.segments()).allSatisfy(s -> assertThat(s.durationMillis()).isBetween(1000L, 2000L));
  }

  @Test
  void extinfHasExactlyThreeDecimals() {
    assertThat(MediaPlaylist.extinf(2000)).isEqualTo("2.000");
    assertThat(MediaPlaylist.extinf(1997)).isEqualTo("1.997");
    assertThat(MediaPlaylist.extinf(40)).isEqualTo("0.040");
    assertThat(MediaPlaylist.extinf(5)).isEqualTo("0.005");
    assertThat(MediaPlaylist.extinf(12_345)).isEqualTo("12.345");
    assertThat(MediaPlaylist.extinf(100)).isEqualTo("0.100");
  }

  private static HlsMuxer muxer(int targetSeconds, int playlistLength) {
    return new HlsMuxer(Duration.ofSeconds(targetSeconds), playlistLength, 2, 1 << 20, 1);
  }

  private static void video(HlsMuxer muxer, long from, long gop, int fps, long until) throws MediaFormatException {
    video(muxer, from, gop, fps, until, 100, EPOCH);
  }

  /** Frames from {@code from} to {@code until} inclusive, keyframes every {@code gop} ms from {@code from}. */
  private static void video(HlsMuxer muxer, long from, long gop, int fps, long until, int size, long epoch)
      throws MediaFormatException {
    for (int i = 0; from + i * 1000L / fps <= until; i++) {
      long ts = from + i * 1000L / fps;
      boolean key = (ts - from) % gop == 0;
      String nal = (key ? "65" : "41") + "00".repeat(size - 1);
      muxer.packet(packet(MediaKind.VIDEO, ts, (key ? "17" : "27") + "01000000" + String.format("%08x", size) + nal),
          epoch + ts);
    }
  }

  private static MediaPacket videoConfig(long ts) {
    return new MediaPacket(MediaKind.VIDEO, ts, MediaPacket.Role.CONFIG, hex("1700000000" + AVC_RECORD), 0);
  }

  private static MediaPacket audioConfig(long ts) {
    return new MediaPacket(MediaKind.AUDIO, ts, MediaPacket.Role.CONFIG, hex("af001210"), 0);
  }

  private static MediaPacket packet(MediaKind kind, long ts, String body) {
    return new MediaPacket(kind, ts, MediaPacket.Role.FRAME, hex(body), 0);
  }

  private static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  /** The DTS (or PTS when alone) of the first video PES in a segment, in 90 kHz ticks. */
  private static long firstVideoDts(Buffer data) {
    byte[] bytes = data.getBytes();
    for (int at = 0; at < bytes.length; at += 188) {
      int pid = (bytes[at + 1] & 0x1F) << 8 | bytes[at + 2] & 0xFF;
      if (pid == 0x100 && (bytes[at + 1] & 0x40) != 0) {
        int pes = at + 4 + ((bytes[at + 3] & 0x20) != 0 ? 1 + (bytes[at + 4] & 0xFF) : 0);
        boolean both = (bytes[pes + 7] & 0xC0) == 0xC0;
        int t = pes + 9 + (both ? 5 : 0);
        return (long) (bytes[t] & 0x0E) << 29 | (long) (bytes[t + 1] & 0xFF) << 22 | (long) (bytes[t + 2] & 0xFE) << 14
            | (long) (bytes[t + 3] & 0xFF) << 7 | (bytes[t + 4] & 0xFE) >>> 1;
      }
    }
    throw new AssertionError("no video PES");
  }
}
