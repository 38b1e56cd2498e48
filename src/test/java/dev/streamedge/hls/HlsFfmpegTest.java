package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FlvFile;
import dev.streamedge.testing.TestMedia;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Segments and playlists from {@link HlsMuxer} checked by ffmpeg and ffprobe 8 as real HLS clients:
 * no demuxer or decoder errors, EXTINF equal to the media's own timing, every packet of the source
 * in order.
 */
@Tag("e2e")
class HlsFfmpegTest {

  private static final long EPOCH = 1_700_000_000_000L;
  private static final Pattern EXTINF = Pattern.compile("#EXTINF:(\\d+\\.\\d{3}),");
  private static final Pattern TARGET = Pattern.compile("#EXT-X-TARGETDURATION:(\\d+)");

  /** One packet as ffprobe lists it. */
  private record Packet(String type, double dts, double pts) {
  }

  @Test
  void audioVideoWithBFramesPlaysAndKeepsEveryVideoPacket() throws Exception {
    Path flv = TestMedia.audioVideo(20, 2);
    HlsMuxer muxer = newMuxer(2, 100);
    feed(muxer, FlvFile.read(flv), 0);
    muxer.discontinuity();
    Path dir = write("av", muxer);

    assertCleanAndTimed("av", dir, muxer, "video");
    assertThat(muxer.segments()).hasSizeBetween(9, 11);
    assertSameVideoTiming(probe("av-flv", flv), probe("av-all", concatenate(dir, muxer)));
  }

  @Test
  void videoOnlyPlays() throws Exception {
    HlsMuxer muxer = newMuxer(2, 100);
    feed(muxer, FlvFile.read(TestMedia.videoOnly(10)), 0);
    muxer.discontinuity();
    Path dir = write("video", muxer);
    assertCleanAndTimed("video", dir, muxer, "video");
    assertThat(probe("video-all", concatenate(dir, muxer))).allMatch(p -> p.type().equals("video"));
  }

  @Test
  void audioOnlyPlays() throws Exception {
    HlsMuxer muxer = newMuxer(2, 100);
    List<MediaPacket> packets = FlvFile.read(TestMedia.audioOnly(10));
    feed(muxer, packets, 0);
    muxer.discontinuity();
    Path dir = write("audio", muxer);
    assertCleanAndTimed("audio", dir, muxer, "audio");
    long frames = packets.stream().filter(p -> p.kind() == MediaKind.AUDIO && !p.isConfig()).count();
    assertThat(probe("audio-all", concatenate(dir, muxer))).hasSize((int) frames);
  }

  @Test
  void restartedPublisherGivesADiscontinuityThatFfmpegCrosses() throws Exception {
    List<MediaPacket> packets = FlvFile.read(TestMedia.audioVideo(20, 2));
    HlsMuxer all = newMuxer(2, 100);
    HlsMuxer live = newMuxer(2, 3);
    for (HlsMuxer muxer : List.of(all, live)) {
      feed(muxer, packets, 0);
      muxer.discontinuity();
      // The second session's timestamps restart at 0; its wall clock goes on.
      feed(muxer, packets, 30_000);
      muxer.discontinuity();
    }
    Path dir = write("restart", all);
    String playlist = Files.readString(dir.resolve("playlist.m3u8"));
    assertThat(playlist.split("#EXT-X-DISCONTINUITY\n", -1)).hasSize(2);
    assertThat(playlist).contains("#EXT-X-DISCONTINUITY-SEQUENCE:0\n");
    assertCleanAndTimed("restart", dir, all, "video");
    assertThat(live.playlist("")).contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n").doesNotContain("#EXT-X-DISCONTINUITY\n");
  }

  @Test
  void longGopRaisesTheTargetOnceAndNeverExceedsIt() throws Exception {
    HlsMuxer muxer = newMuxer(2, 100);
    feed(muxer, FlvFile.read(TestMedia.audioVideo(20, 4)), 0);
    muxer.discontinuity();
    Path dir = write("gop4", muxer);
    assertThat(muxer.targetDurationSeconds()).isEqualTo(4);
    assertCleanAndTimed("gop4", dir, muxer, "video");
  }

  @Test
  void gopLongerThanTheFixedTargetIsCutWithoutAKeyframe() throws Exception {
    HlsMuxer muxer = newMuxer(2, 100);
    // A 2 s GOP fixes the target at 2 s; then a 4 s GOP must be cut between keyframes.
    feed(muxer, FlvFile.read(TestMedia.audioVideo(20, 2)), 0);
    muxer.discontinuity();
    feed(muxer, FlvFile.read(TestMedia.audioVideo(20, 4)), 30_000);
    muxer.discontinuity();
    Path dir = write("forced", muxer);
    assertThat(muxer.targetDurationSeconds()).isEqualTo(2);
    assertCleanAndTimed("forced", dir, muxer, "video");
  }

  private static HlsMuxer newMuxer(int targetSeconds, int playlistLength) {
    return new HlsMuxer(Duration.ofSeconds(targetSeconds), playlistLength, 2, 8 << 20, 1);
  }

  private static void feed(HlsMuxer muxer, List<MediaPacket> packets, long wallClockOffset) throws Exception {
    for (MediaPacket packet : packets) {
      muxer.packet(packet, EPOCH + wallClockOffset + packet.timestamp());
    }
  }

  private static Path write(String name, HlsMuxer muxer) throws Exception {
    Path dir = Path.of("target", "hls-test", name);
    Files.createDirectories(dir);
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    for (HlsSegment segment : muxer.segments()) {
      Files.write(dir.resolve(segment.sequence() + ".ts"), segment.data().getBytes());
    }
    Files.writeString(dir.resolve("playlist.m3u8"), muxer.playlist(""));
    return dir;
  }

  private static Path concatenate(Path dir, HlsMuxer muxer) throws Exception {
    Path all = dir.resolve("all.ts");
    try (OutputStream out = Files.newOutputStream(all)) {
      for (HlsSegment segment : muxer.segments()) {
        out.write(segment.data().getBytes());
      }
    }
    return all;
  }

  /**
   * ffprobe finds no error in the playlist and in each segment; ffmpeg decodes the whole playlist
   * without a message; each EXTINF equals the segment's span of {@code cueType} packets within a frame
   * and rounds to at most the target duration.
   */
  private static void assertCleanAndTimed(String name, Path dir, HlsMuxer muxer, String cueType) throws Exception {
    Path playlist = dir.resolve("playlist.m3u8");
    String text = Files.readString(playlist);
    Matcher target = TARGET.matcher(text);
    assertThat(target.find()).isTrue();
    int targetSeconds = Integer.parseInt(target.group(1));
    List<Double> extinf = new ArrayList<>();
    for (Matcher m = EXTINF.matcher(text); m.find(); ) {
      extinf.add(Double.parseDouble(m.group(1)));
    }
    assertThat(extinf).hasSameSizeAs(muxer.segments())
        .allSatisfy(d -> assertThat(Math.round(d)).isLessThanOrEqualTo(targetSeconds));

    // ffprobe joins the live playlist at its live edge, as players do.
    HlsSegment edge = muxer.segments().get(Math.max(0, muxer.segments().size() - 3));
    runClean(name + "-probe-playlist", true, List.of("-i", playlist.toString()), !startsWithKeyframe(edge));
    // ffmpeg would stay at a live playlist's edge waiting for more: the same playlist with
    // EXT-X-ENDLIST makes it read every segment once, across discontinuities.
    Path complete = dir.resolve("complete.m3u8");
    Files.writeString(complete, text + "#EXT-X-ENDLIST\n");
    runClean(name + "-decode", false, List.of("-i", complete.toString(), "-f", "null", "-"), false);

    List<HlsSegment> segments = muxer.segments();
    for (int i = 0; i < segments.size(); i++) {
      HlsSegment segment = segments.get(i);
      Path file = dir.resolve(segment.sequence() + ".ts");
      List<Packet> packets = probe(name + "-" + segment.sequence(), file, !startsWithKeyframe(segment)).stream()
          .filter(p -> p.type().equals(cueType)).toList();
      double first = packets.stream().mapToDouble(Packet::dts).min().orElseThrow();
      double last = packets.stream().mapToDouble(Packet::dts).max().orElseThrow();
      boolean endsRun = i + 1 == segments.size() || segments.get(i + 1).discontinuity();
      double frame = packets.size() > 1 ? (last - first) / (packets.size() - 1) : 0.04;
      // The span to the next segment's first frame is one frame beyond the last one here.
      double span = last - first + frame;
      assertThat(extinf.get(i)).as("%s segment %d EXTINF (ends a run: %s)", name, segment.sequence(), endsRun)
          .isCloseTo(span, within(frame * 1.01 + 0.001));
      assertThat(segment.durationSeconds()).isEqualTo(extinf.get(i));
    }
  }

  /**
   * Runs ffprobe or ffmpeg with -v error and requires an empty log. A segment cut without a keyframe
   * cannot be decoded alone: there the H.264 decoder's and parser's complaints are expected, but
   * nothing else (demuxer, AAC).
   */
  private static void runClean(String name, boolean ffprobe, List<String> args, boolean startsWithoutKeyframe)
      throws Exception {
    List<String> all = new ArrayList<>(List.of("-v", "error"));
    all.addAll(args);
    Process process = ffprobe ? Ffmpeg.startProbe(name, all) : Ffmpeg.start(name, all);
    Ffmpeg.awaitSuccess(name, process, 60);
    List<String> messages = Files.readAllLines(Path.of("target", "ffmpeg-logs", name + ".log")).stream()
        .filter(line -> !startsWithoutKeyframe || !(line.startsWith("[h264 @") || line.startsWith("[NULL @")
            || line.trim().startsWith("Last message repeated")))
        .toList();
    assertThat(messages).as(name + " messages").isEmpty();
  }

  /** Whether the first video TS packet of a segment has random_access_indicator set. */
  private static boolean startsWithKeyframe(HlsSegment segment) {
    byte[] data = segment.data().getBytes();
    for (int at = 0; at < data.length; at += 188) {
      int pid = (data[at + 1] & 0x1F) << 8 | data[at + 2] & 0xFF;
      if (pid == 0x100) {
        return (data[at + 3] & 0x20) != 0 && data[at + 4] > 0 && (data[at + 5] & 0x40) != 0;
      }
    }
    return true; // audio only
  }

  private static List<Packet> probe(String name, Path media) throws Exception {
    return probe(name, media, false);
  }

  /** The packets of a file in demux order, read with ffprobe, which must report no error. */
  private static List<Packet> probe(String name, Path media, boolean startsWithoutKeyframe) throws Exception {
    Path csv = Files.createTempFile(Path.of("target"), "packets-", ".csv");
    // A one-frame segment is too short for format probing to tell MPEG-TS from a program stream.
    List<String> args = new ArrayList<>(List.of("-show_entries", "packet=codec_type,dts_time,pts_time",
        "-of", "csv=p=0", "-o", csv.toString()));
    if (media.toString().endsWith(".ts")) {
      args.addAll(List.of("-f", "mpegts"));
    }
    args.add(media.toString());
    runClean(name, true, args, startsWithoutKeyframe);
    List<Packet> packets = new ArrayList<>();
    for (String line : Files.readAllLines(csv)) {
      String[] fields = line.split(",");
      if (fields.length == 3) {
        packets.add(new Packet(fields[0], Double.parseDouble(fields[2]), Double.parseDouble(fields[1])));
      }
    }
    Files.delete(csv);
    return packets;
  }

  /** Same number of video packets with the same DTS steps and composition offsets, in order. */
  private static void assertSameVideoTiming(List<Packet> source, List<Packet> segmented) {
    List<Packet> expected = source.stream().filter(p -> p.type().equals("video")).toList();
    List<Packet> actual = segmented.stream().filter(p -> p.type().equals("video")).toList();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).dts() - actual.get(0).dts()).as("DTS of video packet %d", i)
          .isCloseTo(expected.get(i).dts() - expected.get(0).dts(), within(0.0015));
      assertThat(actual.get(i).pts() - actual.get(i).dts()).as("PTS - DTS of video packet %d", i)
          .isCloseTo(expected.get(i).pts() - expected.get(i).dts(), within(0.0015));
    }
  }
}
