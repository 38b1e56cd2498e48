package dev.streamedge.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.testing.Ffmpeg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MP4 files as ffmpeg writes them (H.264 with B-frames and AAC, moov after or before mdat, one track of
 * each alone), read sample by sample and checked against ffprobe's packets of the same file.
 */
@Tag("e2e")
class Mp4IndexTest {

  private static final int MAX_INDEX = 4 << 20;
  /** One frame at 25 fps. */
  private static final long FRAME = 40;

  @TempDir
  static Path dir;

  @BeforeAll
  static void makeMedia() throws Exception {
    Ffmpeg.run("mp4-av", List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "4",
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-bf", "2", "-g", "25", "-keyint_min", "25",
        "-sc_threshold", "0", "-c:a", "aac", "-b:a", "96k", "-ac", "2", "-y", path("av.mp4")), 60);
    Ffmpeg.run("mp4-faststart", List.of("-i", path("av.mp4"), "-c", "copy", "-movflags", "+faststart", "-y",
        path("faststart.mp4")), 30);
    Ffmpeg.run("mp4-video", List.of("-i", path("av.mp4"), "-map", "0:v", "-c", "copy", "-y", path("video.mp4")), 30);
    Ffmpeg.run("mp4-audio", List.of("-i", path("av.mp4"), "-map", "0:a", "-c", "copy", "-y", path("audio.mp4")), 30);
    Ffmpeg.run("mp4-mpeg4", List.of("-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25", "-t", "1",
        "-c:v", "mpeg4", "-y", path("mpeg4.mp4")), 30);
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  static Mp4Index read(Path file, int maxIndexBytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return Mp4Index.read(channel::read, channel.size(), maxIndexBytes);
    }
  }

  static Mp4Index read(byte[] file) throws IOException {
    return Mp4Index.read(Fmp4Builder.source(file), file.length, MAX_INDEX);
  }

  static List<Mp4Sample> walk(Mp4Cursor cursor) {
    List<Mp4Sample> samples = new ArrayList<>();
    for (Mp4Sample sample = cursor.next(); sample != null; sample = cursor.next()) {
      samples.add(sample);
    }
    return samples;
  }

  /** One packet as ffprobe reads it, times in milliseconds (rounded down) after the demuxer's edit list. */
  record Packet(boolean video, long dts, long pts, int size, long pos, boolean keyframe) {
  }

  /** ffprobe's packets of {@code file}, in the order it reads them. */
  static List<Packet> probe(Path file) throws Exception {
    Map<Integer, String[]> streams = new HashMap<>(); // index -> {codec_type, time_base}
    for (Map<String, String> s : ffprobe(file, "stream=index,codec_type,time_base")) {
      streams.put(Integer.parseInt(s.get("index")), new String[] {s.get("codec_type"), s.get("time_base")});
    }
    List<Packet> packets = new ArrayList<>();
    for (Map<String, String> p : ffprobe(file, "packet=stream_index,dts,pts,size,pos,flags")) {
      String[] stream = streams.get(Integer.parseInt(p.get("stream_index")));
      String[] base = stream[1].split("/");
      long num = Long.parseLong(base[0]);
      long den = Long.parseLong(base[1]);
      packets.add(new Packet(stream[0].equals("video"),
          Math.floorDiv(Long.parseLong(p.get("dts")) * 1000 * num, den),
          Math.floorDiv(Long.parseLong(p.get("pts")) * 1000 * num, den),
          Integer.parseInt(p.get("size")), Long.parseLong(p.get("pos")), p.get("flags").startsWith("K")));
    }
    return packets;
  }

  /** ffprobe's {@code -show_entries} as key=value CSV lines (packet side data lines left out). */
  private static List<Map<String, String>> ffprobe(Path file, String entries) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Ffmpeg.ffprobePath(), "-v", "error", "-show_entries", entries,
        "-of", "csv=p=0:nk=0", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("LD_LIBRARY_PATH", new File(Ffmpeg.ffprobePath()).getParent());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      Map<String, String> row = new HashMap<>();
      for (String field : line.split(",")) {
        int eq = field.indexOf('=');
        if (eq > 0) {
          row.put(field.substring(0, eq), field.substring(eq + 1).strip());
        }
      }
      if (row.containsKey("index") || row.containsKey("stream_index")) {
        rows.add(row);
      }
    }
    return rows;
  }

  static double ffprobeDuration(Path file) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Ffmpeg.ffprobePath(), "-v", "error", "-show_entries",
        "format=duration", "-of", "csv=p=0", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("LD_LIBRARY_PATH", new File(Ffmpeg.ffprobePath()).getParent());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return Double.parseDouble(out);
  }

  /**
   * {@code samples}, walked from the start of {@code file}, are ffprobe's packets of it: per track the same
   * sizes, offsets and keyframe flags, the times after one constant offset (±1 ms) and the composition offsets
   * ffprobe's pts less dts; merged in timestamp order from 0.
   */
  static void assertSamplesAreFfprobesPackets(String name, List<Mp4Sample> samples, Path file) throws Exception {
    List<Packet> packets = probe(file);
    assertThat(samples).hasSameSizeAs(packets).isNotEmpty();
    Long offset = null;
    for (boolean video : new boolean[] {true, false}) {
      List<Mp4Sample> ours = samples.stream().filter(s -> s.video() == video).toList();
      List<Packet> theirs = packets.stream().filter(p -> p.video() == video).toList();
      assertThat(ours).hasSameSizeAs(theirs);
      assertThat(ours.stream().map(s -> s.size() + "@" + s.offset() + (s.keyframe() ? "K" : "")).toList())
          .as("%s %s samples: size@offset, K for a keyframe", name, video ? "video" : "audio")
          .isEqualTo(theirs.stream().map(p -> p.size() + "@" + p.pos() + (p.keyframe() ? "K" : "")).toList());
      for (int i = 0; i < ours.size(); i++) {
        Mp4Sample s = ours.get(i);
        Packet p = theirs.get(i);
        if (offset == null) {
          offset = s.timestamp() - p.dts();
        }
        assertThat(s.timestamp() - p.dts()).as("%s sample %d: %s against %s", name, i, s, p).isBetween(offset - 1,
            offset + 1);
        assertThat((long) s.compositionOffset()).as("%s sample %d: %s against %s", name, i, s, p)
            .isBetween(p.pts() - p.dts() - 1, p.pts() - p.dts() + 1);
      }
    }
    for (int i = 1; i < samples.size(); i++) {
      assertThat(samples.get(i).timestamp()).as("merged in timestamp order").isGreaterThanOrEqualTo(
          samples.get(i - 1).timestamp());
    }
    assertThat(samples.stream().mapToLong(Mp4Sample::timestamp).min().getAsLong()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"av.mp4", "faststart.mp4", "video.mp4", "audio.mp4"})
  void everySampleIsFfprobesPacketWithItsSizeOffsetKeyframeFlagAndTimesAfterOneConstantOffset(String name)
      throws Exception {
    Path file = dir.resolve(name);
    List<Mp4Sample> samples = walk(read(file, MAX_INDEX).cursor(0));
    assertSamplesAreFfprobesPackets(name, samples, file);
    assertThat(samples.stream().mapToLong(s -> s.timestamp() + s.compositionOffset()).min().getAsLong())
        .isGreaterThanOrEqualTo(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"av.mp4", "faststart.mp4", "video.mp4", "audio.mp4"})
  void theDurationIsFfprobesWithinOneFrame(String name) throws Exception {
    Path file = dir.resolve(name);
    assertThat(read(file, MAX_INDEX).durationMillis()).isCloseTo(Math.round(ffprobeDuration(file) * 1000),
        org.assertj.core.data.Offset.offset(FRAME));
  }

  @Test
  void theSequenceHeadersAreTheFileAvcCAndAudioSpecificConfigAfterTheirFlvTagBytes() throws Exception {
    Mp4Index index = read(dir.resolve("av.mp4"), MAX_INDEX);
    byte[] avcC = boxPayload(Files.readAllBytes(dir.resolve("av.mp4")), "avcC");
    byte[] video = ByteBufUtil.getBytes(index.videoConfig());
    assertThat(java.util.Arrays.copyOf(video, 5)).isEqualTo(new byte[] {0x17, 0, 0, 0, 0});
    assertThat(java.util.Arrays.copyOfRange(video, 5, video.length)).isEqualTo(avcC);
    assertThat(avcC[0]).as("configurationVersion").isEqualTo((byte) 1);
    assertThat(avcC[1]).as("AVCProfileIndication: Main").isEqualTo((byte) 77);
    // AAC-LC (2), 44.1 kHz (index 4), 2 channels: 00010 0100 0010 000, then ffmpeg's SBR sync extension.
    byte[] audio = ByteBufUtil.getBytes(index.audioConfig());
    assertThat(java.util.Arrays.copyOf(audio, 4)).isEqualTo(new byte[] {(byte) 0xAF, 0, 0x12, 0x10});
    assertThat(java.util.Arrays.copyOfRange(audio, 2, audio.length)).isEqualTo(decoderSpecificInfo(
        boxPayload(Files.readAllBytes(dir.resolve("av.mp4")), "esds")));
    ByteBuf first = index.videoConfig();
    first.setByte(5, 99);
    assertThat(index.videoConfig().getByte(5)).as("a fresh copy each call").isEqualTo((byte) 1);
    assertThat(read(dir.resolve("audio.mp4"), MAX_INDEX).videoConfig()).isNull();
    assertThat(read(dir.resolve("video.mp4"), MAX_INDEX).audioConfig()).isNull();
  }

  /** The DecoderSpecificInfo (tag 5) in an esds as ffmpeg writes it, its size in 4 bytes (0x80 0x80 0x80 n). */
  private static byte[] decoderSpecificInfo(byte[] esds) {
    for (int i = 0; i + 5 <= esds.length; i++) {
      if (esds[i] == 5 && esds[i + 1] == (byte) 0x80 && esds[i + 2] == (byte) 0x80 && esds[i + 3] == (byte) 0x80) {
        return java.util.Arrays.copyOfRange(esds, i + 5, i + 5 + esds[i + 4]);
      }
    }
    throw new AssertionError("no DecoderSpecificInfo");
  }

  /** The payload of the first box of {@code type} found in the raw bytes. */
  private static byte[] boxPayload(byte[] file, String type) {
    byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 4; i + 4 <= file.length; i++) {
      if (file[i] == name[0] && file[i + 1] == name[1] && file[i + 2] == name[2] && file[i + 3] == name[3]) {
        int size = ByteBuffer.wrap(file, i - 4, 4).getInt();
        return java.util.Arrays.copyOfRange(file, i + 4, i - 4 + size);
      }
    }
    throw new AssertionError("no " + type);
  }

  @Test
  void aCursorStartsAtTheLastKeyframeAtOrBeforeItsTimeAndAudioAtThatKeyframesTime() throws Exception {
    Mp4Index index = read(dir.resolve("av.mp4"), MAX_INDEX);
    List<Mp4Sample> all = walk(index.cursor(0));
    List<Mp4Sample> keyframes = all.stream().filter(s -> s.video() && s.keyframe()).toList();
    assertThat(keyframes).hasSize(4);
    assertThat(keyframes.get(0).timestamp()).isZero();
    assertThat(keyframes.get(1).timestamp()).isEqualTo(1000);
    for (long t : new long[] {1, 999, 1000, 1001, 2500, 2999, 3000, 3500, 60_000}) {
      Mp4Sample key = keyframes.stream().filter(k -> k.timestamp() <= t).reduce((a, b) -> b).orElseThrow();
      List<Mp4Sample> from = walk(index.cursor(t));
      assertThat(from.get(0)).as("a cursor at %d", t).isEqualTo(key);
      Predicate<Mp4Sample> expected = s -> s.video() ? s.offset() >= key.offset() && all.indexOf(s) >= all.indexOf(key)
          : s.timestamp() >= key.timestamp();
      assertThat(from).as("a cursor at %d", t).isEqualTo(all.stream().filter(expected).toList());
    }
  }

  @Test
  void withoutVideoACursorStartsAtTheLastAudioSampleAtOrBeforeItsTime() throws Exception {
    assertAudioCursorsStartAtTheLastSampleAtOrBeforeTheirTime(read(dir.resolve("audio.mp4"), MAX_INDEX));
  }

  /** An audio-only file's cursors, progressive or fragmented: from its last sample at or before their time. */
  static void assertAudioCursorsStartAtTheLastSampleAtOrBeforeTheirTime(Mp4Samples index) throws IOException {
    List<Mp4Sample> all = Fmp4Builder.walk(index.cursor(0));
    for (long t : new long[] {1, 500, 1000, 2222, 60_000}) {
      Mp4Sample last = all.stream().filter(s -> s.timestamp() <= t).reduce((a, b) -> b).orElseThrow();
      List<Mp4Sample> from = Fmp4Builder.walk(index.cursor(t));
      assertThat(from).as("a cursor at %d", t).isEqualTo(all.subList(all.indexOf(last), all.size()));
    }
  }

  @Test
  void aFileThatIsNotAPlayableMp4FailsWithAMessage() throws Exception {
    byte[] av = Files.readAllBytes(dir.resolve("av.mp4"));
    int moov = indexOf(av, "moov") - 4;
    assertThatThrownBy(() -> read(new byte[0])).isInstanceOf(Mp4FormatException.class).hasMessage("empty file");
    assertThatThrownBy(() -> read(java.util.Arrays.copyOf(av, moov))).isInstanceOf(Mp4FormatException.class)
        .hasMessage("no moov box in " + moov + " bytes");
    assertThatThrownBy(() -> read(java.util.Arrays.copyOf(av, moov + 1000))).isInstanceOf(Mp4FormatException.class)
        .hasMessageStartingWith("truncated moov: ");
    int moovSize = av.length - moov;
    assertThatThrownBy(() -> read(dir.resolve("av.mp4"), 1000)).isInstanceOf(Mp4FormatException.class)
        .hasMessage("moov of " + moovSize + " bytes, above the limit of 1000");
    assertThatThrownBy(() -> read(dir.resolve("mpeg4.mp4"), MAX_INDEX)).isInstanceOf(Mp4FormatException.class)
        .hasMessage("no H.264 or AAC track with samples in 1 tracks");
    assertThatThrownBy(() -> read("not a video at all".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(Mp4FormatException.class).hasMessageStartingWith("no moov box before the file ends inside");
  }

  @Test
  void aSampleOutsideTheFileFailsAsBadInput() throws Exception {
    byte[] faststart = Files.readAllBytes(dir.resolve("faststart.mp4"));
    // A download cut short: the moov describes samples the file does not have.
    assertThatThrownBy(() -> read(java.util.Arrays.copyOf(faststart, faststart.length - 5000)))
        .isInstanceOf(Mp4FormatException.class).hasMessageContaining("past the file's end at");
    byte[] av = Files.readAllBytes(dir.resolve("av.mp4"));
    int stco = indexOf(av, "stco");
    ByteBuffer.wrap(av).putInt(stco + 12, av.length - 10); // the first chunk's offset, near the end
    assertThatThrownBy(() -> read(av)).isInstanceOf(Mp4FormatException.class)
        .hasMessageStartingWith("chunk 1 at offset " + (av.length - 10));
  }

  private static int indexOf(byte[] file, String type) {
    byte[] name = type.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i + 4 <= file.length; i++) {
      if (file[i] == name[0] && file[i + 1] == name[1] && file[i + 2] == name[2] && file[i + 3] == name[3]) {
        return i;
      }
    }
    throw new AssertionError("no " + type);
  }
}
