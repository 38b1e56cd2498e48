package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LL-HLS parts (RFC 8216bis): where they are cut, how they are listed, and the blocking requests on them. */
@Tag("unit")
class HlsPartsTest {

  private static final String AVC_RECORD = "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";
  private static final long EPOCH = 1_700_000_000_000L;

  @ParameterizedTest
  @ValueSource(ints = {25, 30, 60})
  void partsStayWithinThePartTargetTileTheirSegmentAndAreItsBytes(int fps) throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), Duration.ofMillis(200), 20, 0, 1 << 20, 1);
    muxer.packet(videoConfig(), EPOCH);
    video(muxer, 0, 1000, fps, 12_000);
    List<HlsPart> parts = muxer.window().parts();
    assertThat(parts).isNotEmpty().allSatisfy(p -> assertThat(p.durationMillis()).isBetween(1L, muxer.partTargetMillis()));
    for (HlsSegment segment : muxer.segments()) {
      List<HlsPart> own = parts.stream().filter(p -> p.segmentSequence() == segment.sequence()).toList();
      if (own.isEmpty()) {
        continue; // its parts are no longer kept
      }
      assertThat(own).extracting(HlsPart::index).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, own.size()).boxed().toList());
      assertThat(own.stream().mapToLong(HlsPart::durationMillis).sum()).isEqualTo(segment.durationMillis());
      Buffer joined = Buffer.buffer();
      own.forEach(p -> joined.appendBuffer(p.data()));
      assertThat(joined.getBytes()).isEqualTo(segment.fmp4().getBytes());
      // Keyframes every second: a segment's first part and the one a second later start with one.
      assertThat(own.get(0).independent()).isTrue();
      assertThat(own.stream().filter(HlsPart::independent).count()).isEqualTo(2);
    }
    assertThat(parts).extracting(HlsPart::number).isSorted().doesNotHaveDuplicates();
  }

  /**
   * RFC 8216bis §4.4.4.9 at the frame rates publishers send, with millisecond timestamps rounded as FLV
   * carries them and a keyframe every 2 s: every part within the stated PART-TARGET, and every part that
   * neither starts with a keyframe nor ends its segment at least 85% of it. The old cut (the longest
   * recent interval against the configured 200 ms) made 167 ms parts at 30 fps and a 66 ms part at each
   * segment's end.
   */
  @ParameterizedTest
  @ValueSource(doubles = {23.976, 24, 25, 29.97, 30, 50, 59.94, 60})
  void partsLastBetween85PercentAndAllOfTheStatedTarget(double fps) throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), Duration.ofMillis(200), 20, 0, 1 << 20, 1);
    muxer.packet(videoConfig(), EPOCH);
    int gop = (int) Math.round(2 * fps);
    for (int i = 0; i <= 20 * fps; i++) {
      frame(muxer, Math.round(i * 1000 / fps), i % gop == 0);
    }
    String playlist = muxer.playlist("", HlsVariant.LOW_LATENCY);
    long stated = muxer.partTargetMillis();
    assertThat(playlist).contains("#EXT-X-PART-INF:PART-TARGET=" + MediaPlaylist.extinf(stated) + "\n");
    // The configured 200 ms, within half a frame and the millisecond of jitter.
    assertThat((double) stated).isBetween(200 - 500 / fps, 201 + 500 / fps);
    List<HlsPart> parts = muxer.window().parts();
    assertThat(parts).hasSizeGreaterThan(20);
    for (HlsSegment segment : muxer.segments()) {
      List<HlsPart> own = parts.stream().filter(p -> p.segmentSequence() == segment.sequence()).toList();
      for (int i = 0; i < own.size(); i++) {
        HlsPart part = own.get(i);
        assertThat(part.durationMillis()).as("part %d of %s at %s fps", i, segment.sequence(), fps)
            .isLessThanOrEqualTo(stated);
        if (!part.independent() && i < own.size() - 1) {
          assertThat(part.durationMillis()).as("part %d of %s at %s fps", i, segment.sequence(), fps)
              .isGreaterThanOrEqualTo((long) Math.ceil(stated * 0.85));
        }
      }
    }
  }

  @Test
  void atThirtyFramesASecondA2sSegmentIsTenPartsOf200Ms() throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), Duration.ofMillis(200), 20, 0, 1 << 20, 1);
    muxer.packet(videoConfig(), EPOCH);
    for (int i = 0; i <= 300; i++) {
      frame(muxer, Math.round(i * 1000 / 30.0), i % 60 == 0);
    }
    assertThat(muxer.partTargetMillis()).isEqualTo(201);
    HlsSegment last = muxer.segments().get(muxer.segments().size() - 1);
    assertThat(muxer.window().parts().stream().filter(p -> p.segmentSequence() == last.sequence()))
        .extracting(HlsPart::durationMillis).containsExactly(200L, 200L, 200L, 200L, 200L, 200L, 200L, 200L, 200L, 200L);
  }

  @Test
  void theProgressForRenditionReportsIsTheLastPartThePlaylistLists() throws Exception {
    boolean sawOpenWithoutParts = false;
    for (long end = 16_000; end <= 18_400; end += 40) {
      HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), Duration.ofMillis(200), 10, 0, 1 << 20, 1);
      muxer.packet(videoConfig(), EPOCH);
      video(muxer, 0, 1000, 25, end);
      dev.streamedge.testing.LlPlaylist listed = dev.streamedge.testing.LlPlaylist.parse(
          muxer.playlist("", HlsVariant.LOW_LATENCY));
      RenditionReports.Progress progress = muxer.window().progress();
      if (listed.openParts().isEmpty()) {
        sawOpenWithoutParts = true;
        var last = listed.segments().get(listed.segments().size() - 1);
        assertThat(progress).as("at %d ms", end).isEqualTo(new RenditionReports.Progress(last.msn(),
            last.parts().size() - 1));
      } else {
        assertThat(progress).as("at %d ms", end).isEqualTo(new RenditionReports.Progress(listed.openMsn(),
            listed.openParts().size() - 1));
      }
    }
    assertThat(sawOpenWithoutParts).as("a cut seen between a segment's end and its successor's first part").isTrue();
  }

  @Test
  void theLowLatencyPlaylistListsRecentPartsAndOnePreloadHint() throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), Duration.ofMillis(200), 10, 0, 1 << 20, 1);
    muxer.packet(videoConfig(), EPOCH);
    video(muxer, 0, 1000, 25, 17_100);
    String playlist = muxer.playlist("", HlsVariant.LOW_LATENCY);
    assertThat(playlist).startsWith("#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:2\n"
        + "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=12.000,PART-HOLD-BACK=0.603\n"
        + "#EXT-X-PART-INF:PART-TARGET=0.201\n#EXT-X-MEDIA-SEQUENCE:1\n");
    assertThat(playlist.split("#EXT-X-PRELOAD-HINT:", -1)).hasSize(2);
    assertThat(playlist).endsWith("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p" + muxer.window().nextPartNumber()
        + ".m4s\"\n");
    // Parts of the last two segments (10 each) and of the open one; older segments by EXTINF only.
    long listedParts = playlist.lines().filter(l -> l.startsWith("#EXT-X-PART:")).count();
    assertThat(listedParts).isEqualTo(20 + muxer.window().openParts());
    assertThat(playlist.lines().filter(l -> l.startsWith("#EXT-X-PROGRAM-DATE-TIME:")).count())
        .as("a date on every segment and on the open one").isEqualTo(muxer.segments().size() + 1);
    // A delta update leaves out the segments more than 12 s (six targets) from the end.
    String delta = muxer.window().playlist(2, "", HlsVariant.LOW_LATENCY, true);
    assertThat(delta).contains("#EXT-X-SKIP:SKIPPED-SEGMENTS=2\n").doesNotContain("\n1.m4s\n", "\n2.m4s\n")
        .contains("\n3.m4s\n").doesNotContain("#EXT-X-MAP");
  }

  @Test
  void blockedRequestsAreAnsweredWhenTheirPartExistsAndBoundedNodeWide() throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), Duration.ofMillis(200), 10, 0, 1 << 20, 1);
    AtomicInteger nodeBlocked = new AtomicInteger();
    BlockedRequests blocked = new BlockedRequests(muxer, nodeBlocked, 2);
    muxer.packet(videoConfig(), EPOCH);
    video(muxer, 0, 1000, 25, 2_300); // segment 1 finished, segment 2 open with one part
    long open = muxer.window().lastSequence() + 1;
    int openParts = muxer.window().openParts();

    Promise<HlsReply> now = Promise.promise();
    blocked.playlist(open, openParts - 1, "", false, now);
    assertThat(now.future().result().status()).as("a part that exists").isEqualTo(200);
    for (long[] bad : new long[][] {{open + 2, -1}, {open, openParts + 16}}) {
      Promise<HlsReply> reply = Promise.promise();
      blocked.playlist(bad[0], (int) bad[1], "", false, reply);
      assertThat(reply.future().result()).as("msn %d part %d", bad[0], bad[1]).isEqualTo(HlsReply.BAD_REQUEST);
    }
    Promise<HlsReply> nextPart = Promise.promise();
    blocked.playlist(open, openParts, "", false, nextPart);
    long hinted = muxer.window().nextPartNumber();
    Promise<HlsReply> hint = Promise.promise();
    blocked.part(hinted, hint);
    Promise<HlsReply> third = Promise.promise();
    blocked.playlist(open + 1, -1, "", false, third);
    assertThat(third.future().result()).as("beyond hls.max-blocked-requests").isEqualTo(HlsReply.UNAVAILABLE);
    assertThat(nextPart.future().isComplete()).isFalse();
    assertThat(nodeBlocked.get()).isEqualTo(2);

    video(muxer, 2_320, 1000, 25, 2_440, 100, EPOCH); // the frame at 2400 ends the next part
    blocked.progress();
    assertThat(nextPart.future().result().status()).isEqualTo(200);
    assertThat(nextPart.future().result().body().toString()).contains("URI=\"p" + hinted + ".m4s\"");
    assertThat(hint.future().result().body()).isEqualTo(muxer.window().part(hinted).orElseThrow().data());
    assertThat(nodeBlocked.get()).isZero();

    Promise<HlsReply> stalled = Promise.promise();
    blocked.playlist(open + 1, -1, "", false, stalled);
    blocked.answerAll(HlsReply.UNAVAILABLE);
    assertThat(stalled.future().result().status()).isEqualTo(503);
    assertThat(nodeBlocked.get()).isZero();
  }

  @Test
  void anAnswerThatNeedNotWaitIsRenderedOncePerPartAndPerForm() throws Exception {
    HlsMuxer muxer = new HlsMuxer(Duration.ofSeconds(2), Duration.ofMillis(200), 10, 0, 1 << 20, 1);
    BlockedRequests blocked = new BlockedRequests(muxer, new AtomicInteger(), 10);
    muxer.packet(videoConfig(), EPOCH);
    video(muxer, 0, 1000, 25, 14_300);

    Buffer first = answer(blocked, -1, "name/", false);
    assertThat(answer(blocked, -1, "name/", false)).as("the same window: the same answer, not a new render")
        .isSameAs(first);
    long last = muxer.window().lastSequence();
    assertThat(answer(blocked, last, -1, "name/", false)).as("one with _HLS_msn it already has").isSameAs(first);
    Buffer delta = answer(blocked, -1, "name/", true);
    Buffer bare = answer(blocked, -1, "", false);
    assertThat(delta.toString()).contains("#EXT-X-SKIP:").isEqualTo(
        muxer.window().playlist(2, "name/", HlsVariant.LOW_LATENCY, true));
    assertThat(bare.toString()).isEqualTo(muxer.window().playlist(2, "", HlsVariant.LOW_LATENCY, false));
    assertThat(first.toString()).isEqualTo(muxer.window().playlist(2, "name/", HlsVariant.LOW_LATENCY, false));

    long hinted = muxer.window().nextPartNumber();
    video(muxer, 14_320, 1000, 25, 14_600, 100, EPOCH); // ends the open part, and the one after
    Buffer after = answer(blocked, -1, "name/", false);
    assertThat(after).as("a new part: a new answer").isNotSameAs(first);
    assertThat(after.toString()).contains("URI=\"name/p" + hinted + ".m4s\"")
        .isEqualTo(muxer.window().playlist(2, "name/", HlsVariant.LOW_LATENCY, false));
    assertThat(answer(blocked, -1, "name/", true)).isNotSameAs(delta);
  }

  private static Buffer answer(BlockedRequests blocked, long msn, String prefix, boolean skip) {
    return answer(blocked, msn, -1, prefix, skip);
  }

  private static Buffer answer(BlockedRequests blocked, long msn, int part, String prefix, boolean skip) {
    Promise<HlsReply> reply = Promise.promise();
    blocked.playlist(msn, part, prefix, skip, reply);
    assertThat(reply.future().result().status()).isEqualTo(200);
    return reply.future().result().body();
  }

  static void video(HlsMuxer muxer, long from, long gop, int fps, long until) throws MediaFormatException {
    video(muxer, from, gop, fps, until, 100, EPOCH);
  }

  /** Frames from {@code from} to {@code until} inclusive, keyframes every {@code gop} ms from 0. */
  private static void video(HlsMuxer muxer, long from, long gop, int fps, long until, int size, long epoch)
      throws MediaFormatException {
    for (int i = 0; i * 1000L / fps <= until; i++) {
      long ts = i * 1000L / fps;
      if (ts < from) {
        continue;
      }
      boolean key = ts % gop == 0;
      String nal = (key ? "65" : "41") + "00".repeat(size - 1);
      muxer.packet(new MediaPacket(MediaKind.VIDEO, ts, MediaPacket.Role.FRAME,
          hex((key ? "17" : "27") + "01000000" + String.format("%08x", size) + nal), 0), epoch + ts);
    }
  }

  private static void frame(HlsMuxer muxer, long ts, boolean key) throws MediaFormatException {
    String nal = (key ? "65" : "41") + "00".repeat(99);
    muxer.packet(new MediaPacket(MediaKind.VIDEO, ts, MediaPacket.Role.FRAME,
        hex((key ? "17" : "27") + "01000000" + String.format("%08x", 100) + nal), 0), EPOCH + ts);
  }

  static MediaPacket videoConfig() {
    return new MediaPacket(MediaKind.VIDEO, 0, MediaPacket.Role.CONFIG, hex("1700000000" + AVC_RECORD), 0);
  }

  private static ByteBuf hex(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
  }
}
