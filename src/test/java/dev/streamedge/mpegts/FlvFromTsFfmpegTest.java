package dev.streamedge.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.flv.FlvStreamReader;
import dev.streamedge.media.MediaKind;
import dev.streamedge.mpegts.TsTestSupport.Run;
import dev.streamedge.mpegts.TsTestSupport.Tag;
import dev.streamedge.testing.Ffmpeg;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transport streams as ffmpeg 8 writes them (libx264 or libx265 with B-frames, AAC), converted here
 * and by ffmpeg's own FLV muxer ({@code -c copy}): the bodies must agree byte for byte. The differences
 * allowed: ffmpeg's empty AAC sequence header at the start (it writes the header before it has seen an
 * ADTS frame, then the real one with the first frame), its Enhanced RTMP Metadata packet (colorInfo)
 * for H.265, and the order of audio and video between each other (ffmpeg interleaves by DTS, the
 * converter keeps the transport stream's order).
 */
@org.junit.jupiter.api.Tag("e2e")
class FlvFromTsFfmpegTest {

  private static final int TS_PACKET = 188;
  private static byte[] ts;
  private static List<Tag> ffmpeg;

  @BeforeAll
  static void makeMedia(@TempDir Path dir) throws Exception {
    Path tsFile = dir.resolve("av.ts");
    Path flvFile = dir.resolve("av.flv");
    Ffmpeg.run("mpegts-source", List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4",
        "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "2", "-c:a", "aac",
        "-f", "mpegts", "-y", tsFile.toString()), 60);
    Ffmpeg.run("mpegts-to-flv", List.of("-i", tsFile.toString(), "-c", "copy", "-f", "flv", "-y",
        flvFile.toString()), 60);
    ts = Files.readAllBytes(tsFile);
    ffmpeg = new ArrayList<>();
    FlvStreamReader reader = new FlvStreamReader(1 << 20, (type, timestamp, body) -> {
      if (type != 18) {
        ffmpeg.add(new Tag(type == 8 ? MediaKind.AUDIO : MediaKind.VIDEO, timestamp, ByteBufUtil.hexDump(body)));
      }
    });
    reader.feed(Unpooled.wrappedBuffer(Files.readAllBytes(flvFile)));
  }

  @Test
  void bodiesMatchFfmpegsFlvMuxerHowEverTheInputIsSplit() {
    assertThat(ts.length % TS_PACKET).isZero();
    List<Tag> expected = withoutEmptyAacHeader(ffmpeg);
    assertThat(ffmpeg.size() - expected.size()).as("ffmpeg's empty AAC sequence headers").isEqualTo(1);
    for (int piece : new int[] {1316, 188, 1000, -7, -3000}) {
      Run run = TsTestSupport.convert(ts, piece, new Random(piece));
      assertMatches(run.tags(), expected, "pieces of " + piece);
      assertThat(run.demuxer().continuityErrors()).isZero();
      assertThat(run.demuxer().bytesSkipped()).isZero();
      assertThat(run.flv().videoBeforeSequenceHeader()).isZero();
      assertThat(run.flv().malformed()).isZero();
    }
  }

  @Test
  void theStreamHasBFramesAndSeveralKeyframes() {
    List<Tag> video = frames(ffmpeg, MediaKind.VIDEO);
    assertThat(video).hasSize(100);
    assertThat(video.stream().filter(t -> t.body().startsWith("17"))).hasSize(4);
    // Composition times other than one frame: frames are reordered.
    assertThat(video.stream().map(t -> t.body().substring(4, 10)).distinct().count()).isGreaterThan(2);
    assertThat(frames(ffmpeg, MediaKind.AUDIO)).hasSizeGreaterThan(180);
  }

  @Test
  void lostPacketsCostOnlyTheFramesTheyHit() {
    Run clean = TsTestSupport.convert(ts, 1316, null);
    int videoPid = pidOf(firstPesStart(0xE0));
    int audioPid = pidOf(firstPesStart(0xC0));
    int packets = ts.length / TS_PACKET;
    // Two video packets and one audio packet, each inside a PES (neither its first nor its last packet).
    List<Integer> dropped = new ArrayList<>();
    dropped.add(insidePes(videoPid, packets / 3));
    dropped.add(insidePes(audioPid, packets / 2));
    dropped.add(insidePes(videoPid, packets * 2 / 3));
    byte[] lossy = new byte[ts.length - dropped.size() * TS_PACKET];
    int out = 0;
    for (int p = 0; p < packets; p++) {
      if (!dropped.contains(p)) {
        System.arraycopy(ts, p * TS_PACKET, lossy, out, TS_PACKET);
        out += TS_PACKET;
      }
    }
    Run run = TsTestSupport.convert(lossy, 1316, null);

    assertThat(run.demuxer().continuityErrors()).isEqualTo(3);
    assertThat(run.demuxer().pesDroppedLoss()).isEqualTo(2);
    assertThat(run.demuxer().pesCutByLoss()).isEqualTo(1);
    // What came out is the clean output less the hit frames: two video frames, and the AAC frames of
    // the audio PES from the lost packet on (ffmpeg puts some 15 AAC frames in one PES).
    List<Tag> missing = missing(clean.tags(), run.tags());
    assertThat(missing.stream().filter(t -> t.kind() == MediaKind.VIDEO)).hasSize(2);
    List<Long> audioMissing = missing.stream().filter(t -> t.kind() == MediaKind.AUDIO).map(Tag::timestamp).toList();
    assertThat(audioMissing).isNotEmpty().hasSizeLessThan(15);
    // ... and they are consecutive: one hole, not frames scattered about.
    assertThat(audioMissing.get(audioMissing.size() - 1) - audioMissing.get(0))
        .isLessThanOrEqualTo(22L * (audioMissing.size() - 1));
    // The frames after the last loss still match ffmpeg's output of the undamaged stream (per track:
    // ffmpeg interleaves the tracks by DTS, the converter in transport stream order).
    for (MediaKind kind : MediaKind.values()) {
      List<String> mine = frames(run.tags(), kind).stream().map(Tag::body).toList();
      List<String> theirs = frames(ffmpeg, kind).stream().map(Tag::body).toList();
      int tail = kind == MediaKind.VIDEO ? 25 : kind == MediaKind.AUDIO ? 50 : 0;
      assertThat(mine.subList(mine.size() - tail, mine.size())).as("last %s frames", kind)
          .isEqualTo(theirs.subList(theirs.size() - tail, theirs.size()));
    }
  }

  @Test
  void hevcBodiesMatchFfmpegsEnhancedRtmpOutput(@TempDir Path dir) throws Exception {
    Path tsFile = dir.resolve("hevc.ts");
    Path flvFile = dir.resolve("hevc.flv");
    Ffmpeg.run("mpegts-hevc-source", List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "2",
        "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=25:min-keyint=25:bframes=2:log-level=error",
        "-f", "mpegts", "-y", tsFile.toString()), 60);
    Ffmpeg.run("mpegts-hevc-to-flv", List.of("-i", tsFile.toString(), "-c", "copy", "-f", "flv", "-y",
        flvFile.toString()), 60);
    List<Tag> theirs = new ArrayList<>();
    new FlvStreamReader(1 << 20, (type, timestamp, body) -> {
      // ffmpeg adds a Metadata packet (PacketType 4, colorInfo), which says nothing this stream lacks.
      if (type == 9 && (body.getByte(0) & 0x0F) != 4) {
        theirs.add(new Tag(MediaKind.VIDEO, timestamp, ByteBufUtil.hexDump(body)));
      }
    }).feed(Unpooled.wrappedBuffer(Files.readAllBytes(flvFile)));
    List<Tag> mine = TsTestSupport.convert(Files.readAllBytes(tsFile), 1316, null).tags();

    assertThat(mine).hasSize(51).hasSameSizeAs(theirs);
    assertThat(mine.get(0).body()).startsWith("9068766331").isEqualTo(theirs.get(0).body());
    long offset = mine.get(1).timestamp() - theirs.get(1).timestamp();
    for (int i = 1; i < mine.size(); i++) {
      // Frame type, packet type (with or without composition time), FourCC, NAL units.
      assertThat(mine.get(i).body()).as("frame %d", i).isEqualTo(theirs.get(i).body());
      assertThat(mine.get(i).timestamp() - offset).as("frame %d time", i)
          .isBetween(theirs.get(i).timestamp() - 1, theirs.get(i).timestamp() + 1);
    }
    assertThat(mine.stream().filter(t -> t.body().startsWith("91") || t.body().startsWith("93"))).hasSize(2);
    assertThat(mine.stream().filter(t -> t.body().startsWith("a3"))).isNotEmpty();
  }

  private static void assertMatches(List<Tag> actual, List<Tag> expected, String how) {
    List<Tag> actualVideo = frames(actual, MediaKind.VIDEO);
    List<Tag> expectedVideo = frames(expected, MediaKind.VIDEO);
    List<Tag> actualAudio = frames(actual, MediaKind.AUDIO);
    List<Tag> expectedAudio = frames(expected, MediaKind.AUDIO);
    assertThat(actualVideo).as(how).hasSameSizeAs(expectedVideo);
    assertThat(actualAudio).as(how).hasSameSizeAs(expectedAudio);
    assertThat(headers(actual, MediaKind.VIDEO)).as(how).isEqualTo(headers(expected, MediaKind.VIDEO)).hasSize(1);
    assertThat(headers(actual, MediaKind.AUDIO)).as(how).isEqualTo(headers(expected, MediaKind.AUDIO)).hasSize(1);
    // One offset between the two time bases, taken from the first video frame, for both tracks.
    long offset = actualVideo.get(0).timestamp() - expectedVideo.get(0).timestamp();
    // The stream starts near 0: the first DTS of either track is the base.
    assertThat(actual.get(0).timestamp()).as(how).isZero();
    assertThat(offset).as(how).isBetween(0L, 100L);
    for (int i = 0; i < expectedVideo.size(); i++) {
      Tag mine = actualVideo.get(i);
      Tag theirs = expectedVideo.get(i);
      // Frame type, AVCPacketType, CompositionTime, then the NAL units with their lengths.
      assertThat(mine.body()).as("%s: video frame %d", how, i).isEqualTo(theirs.body());
      assertThat(mine.timestamp() - offset).as("%s: video frame %d time", how, i)
          .isBetween(theirs.timestamp() - 1, theirs.timestamp() + 1);
    }
    for (int i = 0; i < expectedAudio.size(); i++) {
      Tag mine = actualAudio.get(i);
      Tag theirs = expectedAudio.get(i);
      assertThat(mine.body()).as("%s: audio frame %d", how, i).isEqualTo(theirs.body());
      assertThat(mine.timestamp() - offset).as("%s: audio frame %d time", how, i)
          .isBetween(theirs.timestamp() - 1, theirs.timestamp() + 1);
    }
  }

  private static List<Tag> withoutEmptyAacHeader(List<Tag> tags) {
    return tags.stream().filter(t -> !(t.kind() == MediaKind.AUDIO && t.body().equals("af00"))).toList();
  }

  /** Coded frames: AVCPacketType or AACPacketType 1. */
  private static List<Tag> frames(List<Tag> tags, MediaKind kind) {
    return tags.stream().filter(t -> t.kind() == kind && t.body().startsWith("01", 2)).toList();
  }

  private static List<String> headers(List<Tag> tags, MediaKind kind) {
    return tags.stream().filter(t -> t.kind() == kind && t.body().startsWith("00", 2)).map(Tag::body).toList();
  }

  /** The tags of {@code all} that {@code some}, an ordered subsequence of it, lacks. */
  private static List<Tag> missing(List<Tag> all, List<Tag> some) {
    List<Tag> missing = new ArrayList<>();
    int j = 0;
    for (Tag tag : all) {
      if (j < some.size() && some.get(j).equals(tag)) {
        j++;
      } else {
        missing.add(tag);
      }
    }
    assertThat(j).as("the lossy output is a subsequence of the clean one").isEqualTo(some.size());
    return missing;
  }

  private static int firstPesStart(int streamId) {
    for (int at = 0; at < ts.length; at += TS_PACKET) {
      int payload = payloadOffset(at);
      if ((ts[at + 1] & 0x40) != 0 && payload + 4 <= at + TS_PACKET
          && Arrays.equals(ts, payload, payload + 4, new byte[] {0, 0, 1, (byte) streamId}, 0, 4)) {
        return at / TS_PACKET;
      }
    }
    throw new AssertionError("no PES of stream_id " + Integer.toHexString(streamId));
  }

  /** A packet of {@code pid} at or after {@code from} whose PES started before it and goes on after it. */
  private static int insidePes(int pid, int from) {
    int previous = -1;
    for (int p = from; p < ts.length / TS_PACKET; p++) {
      if (pidOf(p) != pid) {
        continue;
      }
      boolean start = (ts[p * TS_PACKET + 1] & 0x40) != 0;
      if (previous >= 0 && !start && (ts[previous * TS_PACKET + 1] & 0x40) == 0 && !nextStarts(pid, p)) {
        return p;
      }
      previous = p;
    }
    throw new AssertionError("no packet inside a PES of PID " + pid);
  }

  private static boolean nextStarts(int pid, int packet) {
    for (int p = packet + 1; p < ts.length / TS_PACKET; p++) {
      if (pidOf(p) == pid) {
        return (ts[p * TS_PACKET + 1] & 0x40) != 0;
      }
    }
    return true;
  }

  private static int pidOf(int packet) {
    return (ts[packet * TS_PACKET + 1] & 0x1F) << 8 | ts[packet * TS_PACKET + 2] & 0xFF;
  }

  private static int payloadOffset(int at) {
    return (ts[at + 3] & 0x20) != 0 ? at + 5 + (ts[at + 4] & 0xFF) : at + 4;
  }
}
