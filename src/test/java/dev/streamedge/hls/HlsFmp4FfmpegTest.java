package dev.streamedge.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.testing.Ffmpeg;
import dev.streamedge.testing.FlvFile;
import dev.streamedge.testing.Mp4Check;
import dev.streamedge.testing.Mp4Check.TrackFragment;
import dev.streamedge.testing.TestMedia;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fMP4 variant of {@link HlsMuxer} read by ffmpeg and ffprobe 8: the playlist demuxes and
 * decodes without a message and holds every packet of the source with its timing, each init +
 * segment decodes alone, and each track's tfdt continues exactly where the previous fragment ended.
 */
@Tag("e2e")
class HlsFmp4FfmpegTest {

  private static final long EPOCH = 1_700_000_000_000L;

  /** One packet as ffprobe lists it. */
  private record Packet(String type, double dts, double pts) {
  }

  @Test
  void audioVideoKeepsEveryPacketWithItsTimingAndAContinuousTimeline() throws Exception {
    Path flv = TestMedia.audioVideo(20, 2);
    HlsMuxer muxer = newMuxer();
    feed(muxer, FlvFile.read(flv), 0, 0);
    muxer.discontinuity();
    Path dir = write("fmp4-av", muxer);

    List<Packet> source = probe("fmp4-av-flv", flv);
    List<Packet> played = probe("fmp4-av-hls", dir.resolve("complete.m3u8"));
    assertSameTiming(source, played, "video");
    assertThat(count(played, "audio")).isEqualTo(count(source, "audio"));
    decodesClean("fmp4-av", dir, muxer);
    assertContinuous(muxer, true);
    assertThat(Files.readString(dir.resolve("playlist.m3u8"))).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n")
        .containsOnlyOnce("#EXT-X-MAP:URI=\"init-1.mp4\"\n");
  }

  @Test
  void videoOnlyPlays() throws Exception {
    Path flv = TestMedia.videoOnly(10);
    HlsMuxer muxer = newMuxer();
    feed(muxer, FlvFile.read(flv), 0, 0);
    muxer.discontinuity();
    Path dir = write("fmp4-video", muxer);
    assertSameTiming(probe("fmp4-video-flv", flv), probe("fmp4-video-hls", dir.resolve("complete.m3u8")), "video");
    decodesClean("fmp4-video", dir, muxer);
    assertContinuous(muxer, true);
  }

  @Test
  void audioOnlyPlays() throws Exception {
    Path flv = TestMedia.audioOnly(10);
    HlsMuxer muxer = newMuxer();
    feed(muxer, FlvFile.read(flv), 0, 0);
    muxer.discontinuity();
    Path dir = write("fmp4-audio", muxer);
    List<Packet> played = probe("fmp4-audio-hls", dir.resolve("complete.m3u8"));
    assertThat(played).allMatch(p -> p.type().equals("audio"));
    assertThat(played).hasSize(count(probe("fmp4-audio-flv", flv), "audio"));
    decodesClean("fmp4-audio", dir, muxer);
    assertContinuous(muxer, true);
  }

  @Test
  void restartedPublisherContinuesTheTimelineWithTheSameInit() throws Exception {
    List<MediaPacket> packets = FlvFile.read(TestMedia.audioVideo(20, 2));
    HlsMuxer muxer = newMuxer();
    feed(muxer, packets, 0, 0);
    muxer.discontinuity();
    feed(muxer, packets, 30_000, 0); // timestamps restart at 0
    muxer.discontinuity();
    Path dir = write("fmp4-restart", muxer);
    String playlist = Files.readString(dir.resolve("playlist.m3u8"));
    assertThat(playlist).containsOnlyOnce("#EXT-X-DISCONTINUITY\n").containsOnlyOnce("#EXT-X-MAP:");
    decodesClean("fmp4-restart", dir, muxer);
    assertContinuous(muxer, false);
  }

  @Test
  void timestampsThatGoBackWithinASessionNeverTakeTfdtBack() throws Exception {
    List<MediaPacket> packets = FlvFile.read(TestMedia.audioVideo(10, 2));
    HlsMuxer muxer = newMuxer();
    feed(muxer, packets, 0, 0);
    // The same session's clock restarts at 0 (no unpublish): same sequence headers, time goes back.
    feed(muxer, packets, 10_000, 0);
    muxer.discontinuity();
    Path dir = write("fmp4-clock-reset", muxer);
    assertThat(Files.readString(dir.resolve("playlist.m3u8"))).containsOnlyOnce("#EXT-X-DISCONTINUITY\n")
        .containsOnlyOnce("#EXT-X-MAP:");
    decodesClean("fmp4-clock-reset", dir, muxer);
    assertContinuous(muxer, false);
  }

  @Test
  void newSequenceHeaderCutsAndGetsANewInitSegment() throws Exception {
    HlsMuxer muxer = newMuxer();
    feed(muxer, FlvFile.read(TestMedia.audioVideo(10, 2)), 0, 0);
    // The publisher switches to 1280x720 without reconnecting: a new SPS in the same session.
    feed(muxer, FlvFile.read(TestMedia.fiveMegabit(4)), 10_000, 10_000);
    muxer.discontinuity();
    Path dir = write("fmp4-newsps", muxer);
    String playlist = Files.readString(dir.resolve("playlist.m3u8"));
    assertThat(playlist).containsOnlyOnce("#EXT-X-DISCONTINUITY\n");
    assertThat(playlist.split("#EXT-X-MAP:", -1)).hasSize(3);
    // ffmpeg's HLS demuxer keeps the first init's decoder configuration across EXT-X-MAP: it decodes
    // the new picture size from the parameter sets repeated in band.
    decodesClean("fmp4-newsps", dir, muxer);
    List<Packet> played = probe("fmp4-newsps-hls", dir.resolve("complete.m3u8"));
    assertThat(count(played, "video")).isEqualTo(10 * 25 + 4 * 25);
    assertContinuous(muxer, false);
  }

  @Test
  void hevcAndOpusFromEnhancedRtmpPlayAsPublished() throws Exception {
    Path flv = TestMedia.enhanced("hevc", "opus", 10);
    HlsMuxer muxer = newMuxer();
    feed(muxer, FlvFile.read(flv), 0, 0);
    muxer.discontinuity();
    Path dir = write("fmp4-hevc-opus", muxer);
    assertThat(Mp4Check.tree(muxer.init(muxer.segments().get(0).initId()).orElseThrow().getBytes()))
        .contains("vmhd").contains("smhd");
    List<Packet> source = probe("fmp4-hevc-opus-flv", flv);
    List<Packet> played = probe("fmp4-hevc-opus-hls", dir.resolve("complete.m3u8"));
    assertSameTiming(source, played, "video");
    assertThat(count(played, "audio")).isEqualTo(count(source, "audio"));
    assertCodecs("fmp4-hevc-opus", dir, muxer, "hevc,video,320,240", "opus,audio,48000,2");
    decodesClean("fmp4-hevc-opus", dir, muxer);
    assertContinuous(muxer, true);
    // MPEG-TS carries neither codec: that variant has no playlist.
    assertThat(muxer.ready(HlsVariant.MPEGTS)).isFalse();
    assertThat(muxer.ready(HlsVariant.FMP4)).isTrue();
  }

  @Test
  void av1AndVp9WithOpusFromEnhancedRtmpPlayAsPublished() throws Exception {
    for (String codec : List.of("av1", "vp9")) {
      playsAsPublished(codec);
    }
  }

  private static void playsAsPublished(String codec) throws Exception {
    Path flv = TestMedia.enhanced(codec, "opus", 6);
    HlsMuxer muxer = newMuxer();
    feed(muxer, FlvFile.read(flv), 0, 0);
    muxer.discontinuity();
    String name = "fmp4-" + codec + "-opus";
    Path dir = write(name, muxer);
    List<Packet> source = probe(name + "-flv", flv);
    List<Packet> played = probe(name + "-hls", dir.resolve("complete.m3u8"));
    assertSameTiming(source, played, "video");
    // A run with video starts at its first keyframe: the audio frame before it is not packaged.
    double firstVideo = source.stream().filter(p -> p.type().equals("video")).mapToDouble(Packet::dts).min().orElseThrow();
    assertThat(count(played, "audio")).isEqualTo(
        count(source.stream().filter(p -> p.dts() >= firstVideo).toList(), "audio"));
    assertCodecs(name, dir, muxer, codec + ",video,320,240", "opus,audio,48000,2");
    decodesClean(name, dir, muxer);
    assertContinuous(muxer, true);
  }

  @Test
  void h264WithOpusAndHevcWithAacPlay() throws Exception {
    for (String[] codecs : new String[][] {{"h264", "opus"}, {"hevc", "aac"}}) {
      Path flv = TestMedia.enhanced(codecs[0], codecs[1], 6);
      HlsMuxer muxer = newMuxer();
      feed(muxer, FlvFile.read(flv), 0, 0);
      muxer.discontinuity();
      String name = "fmp4-" + codecs[0] + "-" + codecs[1];
      Path dir = write(name, muxer);
      List<Packet> source = probe(name + "-flv", flv);
      List<Packet> played = probe(name + "-hls", dir.resolve("complete.m3u8"));
      assertSameTiming(source, played, "video");
      assertThat(count(played, "audio")).isEqualTo(count(source, "audio"));
      decodesClean(name, dir, muxer);
      assertContinuous(muxer, true);
      // MPEG-TS keeps the track it can carry.
      assertThat(muxer.ready(HlsVariant.MPEGTS)).isTrue();
    }
  }

  /** ffprobe reads the codecs, picture size, sample rate and channels of init + first segment. */
  private static void assertCodecs(String name, Path dir, HlsMuxer muxer, String... expected) throws Exception {
    HlsSegment first = muxer.segments().get(0);
    Path alone = dir.resolve("codecs.mp4");
    Files.write(alone, Buffer.buffer().appendBuffer(muxer.init(first.initId()).orElseThrow()).appendBuffer(first.fmp4()).getBytes());
    String probeName = name + "-codecs";
    runClean(probeName, true, List.of("-show_entries", "stream=codec_name,codec_type,width,height,sample_rate,channels",
        "-of", "csv=p=0", "-o", dir.resolve("codecs.csv").toString(), alone.toString()));
    List<String> lines = Files.readAllLines(dir.resolve("codecs.csv")).stream()
        .map(line -> line.replaceAll(",+$", "").replaceAll(",,+", ",")).toList();
    assertThat(lines).containsExactlyInAnyOrder(expected);
  }

  private static HlsMuxer newMuxer() {
    return new HlsMuxer(Duration.ofSeconds(2), 100, 2, 8 << 20, 1);
  }

  private static void feed(HlsMuxer muxer, List<MediaPacket> packets, long wallClockOffset, long timestampOffset)
      throws Exception {
    for (MediaPacket packet : packets) {
      MediaPacket shifted = new MediaPacket(packet.kind(), packet.timestamp() + timestampOffset, packet.role(),
          packet.body(), 0);
      muxer.packet(shifted, EPOCH + wallClockOffset + shifted.timestamp());
    }
  }

  /** The playlist, its segments and inits; complete.m3u8 is the same with EXT-X-ENDLIST. */
  private static Path write(String name, HlsMuxer muxer) throws Exception {
    Path dir = Path.of("target", "hls-test", name);
    Files.createDirectories(dir);
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    for (HlsSegment segment : muxer.segments()) {
      Files.write(dir.resolve(segment.sequence() + ".m4s"), segment.fmp4().getBytes());
      Files.write(dir.resolve("init-" + segment.initId() + ".mp4"), muxer.init(segment.initId()).orElseThrow().getBytes());
    }
    String playlist = muxer.playlist("", HlsVariant.FMP4);
    Files.writeString(dir.resolve("playlist.m3u8"), playlist);
    Files.writeString(dir.resolve("complete.m3u8"), playlist + "#EXT-X-ENDLIST\n");
    return dir;
  }

  /** ffmpeg decodes the whole playlist, and each init + segment alone, without a message. */
  private static void decodesClean(String name, Path dir, HlsMuxer muxer) throws Exception {
    runClean(name + "-decode", false, List.of("-i", dir.resolve("complete.m3u8").toString(), "-f", "null", "-"));
    segmentsDecodeAlone(name, dir, muxer);
  }

  private static void segmentsDecodeAlone(String name, Path dir, HlsMuxer muxer) throws Exception {
    for (HlsSegment segment : muxer.segments()) {
      Path alone = dir.resolve("alone-" + segment.sequence() + ".mp4");
      Files.write(alone, Buffer.buffer().appendBuffer(muxer.init(segment.initId()).orElseThrow()).appendBuffer(segment.fmp4()).getBytes());
      runClean(name + "-decode-" + segment.sequence(), false, List.of("-i", alone.toString(), "-f", "null", "-"));
    }
  }

  /**
   * Per track, every fragment's tfdt is where the previous one ended; across a discontinuity
   * ({@code exactAcrossRuns} false) it may be later, never earlier.
   */
  private static void assertContinuous(HlsMuxer muxer, boolean exactAcrossRuns) {
    Map<Integer, Long> ends = new HashMap<>();
    for (HlsSegment segment : muxer.segments()) {
      List<TrackFragment> fragments = Mp4Check.fragments(segment.fmp4().getBytes());
      assertThat(fragments).isNotEmpty();
      for (TrackFragment fragment : fragments) {
        Long end = ends.get(fragment.trackId());
        if (end != null && (exactAcrossRuns || !segment.discontinuity())) {
          assertThat(fragment.baseDecodeTime()).as("tfdt of track %d in segment %d", fragment.trackId(),
              segment.sequence()).isEqualTo(end);
        } else if (end != null) {
          assertThat(fragment.baseDecodeTime()).as("tfdt of track %d after the discontinuity at %d",
              fragment.trackId(), segment.sequence()).isGreaterThanOrEqualTo(end);
        }
        ends.put(fragment.trackId(), fragment.baseDecodeTime() + fragment.duration());
      }
    }
  }

  private static void runClean(String name, boolean ffprobe, List<String> args) throws Exception {
    List<String> all = new ArrayList<>(List.of("-v", "error"));
    all.addAll(args);
    Process process = ffprobe ? Ffmpeg.startProbe(name, all) : Ffmpeg.start(name, all);
    Ffmpeg.awaitSuccess(name, process, 60);
    assertThat(Files.readAllLines(Path.of("target", "ffmpeg-logs", name + ".log"))).as(name + " messages").isEmpty();
  }

  private static List<Packet> probe(String name, Path media) throws Exception {
    Path csv = Files.createTempFile(Path.of("target"), "packets-", ".csv");
    runClean(name, true, List.of("-show_entries", "packet=codec_type,dts_time,pts_time", "-of", "csv=p=0",
        "-o", csv.toString(), media.toString()));
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

  private static int count(List<Packet> packets, String type) {
    return (int) packets.stream().filter(p -> p.type().equals(type)).count();
  }

  /** Same number of packets of {@code type}, with the same DTS steps and composition offsets, in order. */
  private static void assertSameTiming(List<Packet> source, List<Packet> played, String type) {
    List<Packet> expected = source.stream().filter(p -> p.type().equals(type)).toList();
    List<Packet> actual = played.stream().filter(p -> p.type().equals(type)).toList();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).dts() - actual.get(0).dts()).as("DTS of %s packet %d", type, i)
          .isCloseTo(expected.get(i).dts() - expected.get(0).dts(), within(0.0015));
      assertThat(actual.get(i).pts() - actual.get(i).dts()).as("PTS - DTS of %s packet %d", type, i)
          .isCloseTo(expected.get(i).pts() - expected.get(i).dts(), within(0.0015));
    }
  }
}
