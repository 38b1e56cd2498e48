package dev.streamedge.mp4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.testing.Ffmpeg;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fragmented MP4 files as ffmpeg writes them (H.264 with B-frames and AAC; a fragment per GOP, or every
 * half second whatever the frames, or a moof per track; audio alone), read sample by sample through
 * {@link Mp4Samples#read} and checked against ffprobe's packets of the same file.
 */
@Tag("e2e")
class Fmp4IndexTest {

  private static final int MAX_INDEX = 4 << 20;
  /** One frame at 25 fps. */
  private static final long FRAME = 40;
  private static final String FRAGMENTED = "empty_moov+default_base_moof";

  @TempDir
  static Path dir;

  @BeforeAll
  static void makeMedia() throws Exception {
    Ffmpeg.run("fmp4-av", List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "4",
        "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-bf", "2", "-g", "25", "-keyint_min", "25",
        "-sc_threshold", "0", "-c:a", "aac", "-b:a", "96k", "-ac", "2",
        "-movflags", "frag_keyframe+" + FRAGMENTED, "-y", path("keyframes.mp4")), 60);
    copy("fmp4-half-second", "half-second.mp4", "-frag_duration", "500000", "-movflags", FRAGMENTED);
    copy("fmp4-separate", "separate.mp4", "-movflags", "frag_keyframe+separate_moof+" + FRAGMENTED);
    copy("fmp4-audio", "audio.mp4", "-map", "0:a", "-frag_duration", "1000000", "-movflags", FRAGMENTED);
    copy("fmp4-video", "video.mp4", "-map", "0:v", "-frag_duration", "500000", "-movflags", FRAGMENTED);
    copy("fmp4-moov-samples", "moov-samples.mp4", "-movflags", "frag_keyframe");
  }

  private static void copy(String name, String file, String... options) throws Exception {
    List<String> args = new ArrayList<>(List.of("-i", path("keyframes.mp4"), "-c", "copy"));
    args.addAll(List.of(options));
    args.addAll(List.of("-y", path(file)));
    Ffmpeg.run(name, args, 30);
  }

  private static String path(String name) {
    return dir.resolve(name).toString();
  }

  static Mp4Samples read(Path file) throws IOException {
    return read(Files.readAllBytes(file));
  }

  static Mp4Samples read(byte[] file) throws IOException {
    return Fmp4Builder.read(file, MAX_INDEX);
  }

  private static List<Mp4Sample> walk(SampleCursor cursor) throws IOException {
    return Fmp4Builder.walk(cursor);
  }

  @ParameterizedTest
  @ValueSource(strings = {"keyframes.mp4", "half-second.mp4", "separate.mp4", "audio.mp4", "video.mp4", "moov-samples.mp4"})
  void everySampleIsFfprobesPacketWithItsSizeOffsetKeyframeFlagAndTimesAfterOneConstantOffset(String name)
      throws Exception {
    Path file = dir.resolve(name);
    Mp4Samples index = read(file);
    assertThat(index).isInstanceOf(Fmp4Index.class);
    List<Mp4Sample> samples = walk(index.cursor(0));
    Mp4IndexTest.assertSamplesAreFfprobesPackets(name, samples, file);
  }

  @ParameterizedTest
  @ValueSource(strings = {"keyframes.mp4", "half-second.mp4", "separate.mp4", "audio.mp4", "video.mp4", "moov-samples.mp4"})
  void theDurationIsFfprobesWithinOneFrame(String name) throws Exception {
    Path file = dir.resolve(name);
    assertThat(read(file).durationMillis()).isCloseTo(Math.round(Mp4IndexTest.ffprobeDuration(file) * 1000),
        Offset.offset(FRAME));
  }

  @ParameterizedTest
  @ValueSource(strings = {"keyframes.mp4", "half-second.mp4", "separate.mp4", "video.mp4", "moov-samples.mp4"})
  void aCursorStartsAtTheLastKeyframeAtOrBeforeItsTimeAndAudioAtThatKeyframesTime(String name) throws Exception {
    Mp4Samples index = read(dir.resolve(name));
    List<Mp4Sample> all = walk(index.cursor(0));
    List<Mp4Sample> keyframes = all.stream().filter(s -> s.video() && s.keyframe()).toList();
    assertThat(keyframes).hasSize(4);
    assertThat(keyframes.get(0).timestamp()).isZero();
    assertThat(keyframes.get(1).timestamp()).isEqualTo(1000);
    for (long t : new long[] {1, 520, 999, 1000, 1001, 1500, 2500, 2999, 3000, 3500, 60_000}) {
      Mp4Sample key = keyframes.stream().filter(k -> k.timestamp() <= t).reduce((a, b) -> b).orElseThrow();
      List<Mp4Sample> from = walk(index.cursor(t));
      assertThat(from.get(0)).as("%s: a cursor at %d", name, t).isEqualTo(key);
      Predicate<Mp4Sample> expected = s -> s.video() ? all.indexOf(s) >= all.indexOf(key)
          : s.timestamp() >= key.timestamp();
      assertThat(from).as("%s: a cursor at %d", name, t).isEqualTo(all.stream().filter(expected).toList());
    }
  }

  @Test
  void withoutVideoACursorStartsAtTheLastAudioSampleAtOrBeforeItsTime() throws Exception {
    Mp4IndexTest.assertAudioCursorsStartAtTheLastSampleAtOrBeforeTheirTime(read(dir.resolve("audio.mp4")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"keyframes.mp4", "separate.mp4", "moov-samples.mp4"})
  void aFileCutInItsLastFragmentPlaysTheWholeFragmentsBeforeIt(String name) throws Exception {
    byte[] whole = Files.readAllBytes(dir.resolve(name));
    List<Mp4Sample> all = walk(read(whole).cursor(0));
    List<Integer> moofs = topLevel(whole, "moof");
    int lastMoof = moofs.get(moofs.size() - 1);
    // The mdat after the last moof (the moov's own samples have an mdat of their own before the first).
    int lastMdat = topLevel(whole, "mdat").stream().filter(at -> at > lastMoof).findFirst().orElseThrow();
    int penultimateMoof = moofs.get(moofs.size() - 2);
    List<Mp4Sample> beforeLast = all.stream().filter(s -> s.offset() < lastMoof).toList();
    List<Mp4Sample> beforePenultimate = all.stream().filter(s -> s.offset() < penultimateMoof).toList();
    assertThat(beforeLast).hasSizeBetween(1, all.size() - 1);
    // Cut inside the last mdat, right after its header, inside the last moof, after the whole last mdat.
    for (int cut : new int[] {lastMdat + 2000, lastMdat + 8, lastMoof + 100, lastMoof + 4, lastMoof}) {
      Mp4Samples index = read(java.util.Arrays.copyOf(whole, cut));
      assertThat(walk(index.cursor(0))).as("%s cut at %d", name, cut).isEqualTo(beforeLast);
      long end = beforeLast.stream().mapToLong(Mp4Sample::timestamp).max().getAsLong();
      assertThat(index.durationMillis()).as("%s cut at %d", name, cut).isBetween(end, end + FRAME + 30);
    }
    // A moof, whole but without its mdat, at the end of the file, ends it as well.
    Mp4Samples index = read(java.util.Arrays.copyOf(whole, lastMdat));
    assertThat(walk(index.cursor(0))).isEqualTo(beforeLast);
    // A cut in the fragment before the last: the last is gone, and so is that one.
    index = read(java.util.Arrays.copyOf(whole, penultimateMoof + 50));
    assertThat(walk(index.cursor(0))).isEqualTo(beforePenultimate);
  }

  @Test
  void aFileWhoseMoovHasTheFirstFragmentsSamplesPlaysThemAndThenItsFragments() throws Exception {
    // ffmpeg's frag_keyframe without empty_moov: the first GOP in moov's tables, the rest in moofs.
    Path file = dir.resolve("moov-samples.mp4");
    Mp4Samples index = read(file);
    assertThat(index).isInstanceOf(Fmp4Index.class);
    List<Mp4Sample> samples = walk(index.cursor(0));
    List<Mp4Sample> inMoov = Mp4IndexTest.walk(Mp4IndexTest.read(file, MAX_INDEX).cursor(0));
    assertThat(inMoov.stream().filter(Mp4Sample::video).count()).as("the first second's frames").isEqualTo(25);
    assertThat(samples.subList(0, inMoov.size())).as("the moov's samples first, as they are").isEqualTo(inMoov);
    assertThat(samples.stream().filter(Mp4Sample::video).count()).as("all four seconds").isEqualTo(100);
    assertThat(samples).as("the same samples as the file with an empty moov")
        .extracting(Mp4Sample::video, Mp4Sample::timestamp, Mp4Sample::compositionOffset, Mp4Sample::keyframe,
            Mp4Sample::size)
        .isEqualTo(walk(read(dir.resolve("keyframes.mp4")).cursor(0)).stream()
            .map(sample -> org.assertj.core.groups.Tuple.tuple(sample.video(), sample.timestamp(), sample.compositionOffset(),
                sample.keyframe(), sample.size())).toList());
  }

  /** The offsets of the top-level boxes of {@code type}. */
  static List<Integer> topLevel(byte[] file, String type) {
    List<Integer> found = new ArrayList<>();
    int at = 0;
    while (at + 8 <= file.length) {
      int size = ByteBuffer.wrap(file, at, 4).getInt();
      if (new String(file, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals(type)) {
        found.add(at);
      }
      at += size;
    }
    return found;
  }
}
