package dev.streamedge.mp4;

import static dev.streamedge.mp4.Fmp4Builder.audio;
import static dev.streamedge.mp4.Fmp4Builder.video;
import static dev.streamedge.mp4.Fmp4Builder.walk;
import static dev.streamedge.mp4.Mp4IndexBoxesTest.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.mp4.Fmp4Builder.Base;
import dev.streamedge.mp4.Fmp4Builder.Traf;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Byte-level: fragmented MP4 files built box by box ({@link Fmp4Builder}), each variant of §8.8 read. */
@Tag("unit")
class Fmp4IndexBoxesTest {

  private static final int MAX_INDEX = 1 << 20;
  private static final int SYNC = 0x02000000;
  private static final int NON_SYNC = 0x01010000;

  private static Mp4Samples read(byte[] file) throws IOException {
    return Fmp4Builder.read(file, MAX_INDEX);
  }

  private static Traf with(Traf traf, java.util.function.Consumer<Traf> change) {
    change.accept(traf);
    return traf;
  }

  @Test
  void whatATrafLeavesOutComesFromItsTfhdThenFromTrex() throws IOException {
    Fmp4Builder builder = new Fmp4Builder();
    builder.trexDuration = new long[] {512, 1024};
    builder.trexSize = new long[] {0, 7};
    builder.trexFlags = new int[] {NON_SYNC, 0};
    builder.fragment(with(video(3, 0), t -> {
      t.defaultDuration = null; // trex: 512, 40 ms
      t.firstFlags = SYNC; // trex: non-sync
    }), with(audio(2, 0), t -> {
      t.defaultDuration = null; // trex: 1024
      t.defaultSize = null; // trex: 7
    }));
    builder.fragment(with(video(3, 1536), t -> {
      t.defaultDuration = 1024L; // 80 ms
      t.defaultFlags = 0; // every sample a sync sample
    }), audio(2, 2048));
    byte[] file = builder.build();
    Mp4Samples index = read(file);
    assertThat(index).isInstanceOf(Fmp4Index.class);
    assertThat(order(file, index.cursor(0))).isEqualTo("v0K a0 a21 v40 a42 a64 v80 v120K v200K v280K");
    assertThat(index.durationMillis()).as("the video's end, 4608 units of 12800").isEqualTo(360);
  }

  @Test
  void aTrafFindsItsDataFromTheMoofFromItsOwnBaseOrAfterThePreviousTrafs() throws IOException {
    for (Base base : Base.values()) {
      Fmp4Builder builder = new Fmp4Builder();
      builder.trexFlags = new int[] {NON_SYNC, 0};
      for (int f = 0; f < 3; f++) {
        builder.fragment(with(video(3, 1536L * f), t -> {
          t.base = base;
          t.firstFlags = SYNC;
        }), with(audio(3, 3072L * f), t -> t.base = base));
      }
      byte[] file = builder.build();
      assertThat(order(file, read(file).cursor(0))).as("%s", base).isEqualTo(
          "v0K a0 a21 v40 a42 a64 v80 a85 a106 v120K a128 a149 v160 a170 v200 v240K v280 v320");
    }
  }

  @Test
  void signedCompositionOffsetsMoveBothTracksSoThatNoPresentationTimeIsNegative() throws IOException {
    Fmp4Builder builder = new Fmp4Builder();
    builder.fragment(with(video(3, 0), t -> {
      t.signed = true;
      t.compositions = new int[] {-512, 512, -512};
      t.flags = new int[] {SYNC, NON_SYNC, NON_SYNC};
    }), audio(2, 0));
    byte[] file = builder.build();
    Mp4Samples index = read(file);
    assertThat(order(file, index.cursor(0))).isEqualTo("v40K a40 a61 v80 v120");
    assertThat(walk(index.cursor(0)).stream().filter(Mp4Sample::video).map(Mp4Sample::compositionOffset).toList())
        .containsExactly(-40, 40, -40);
    // Version 0 reads the same bits unsigned: 4294966784 units, far beyond FLV's 24-bit composition time.
    Traf unsigned = with(video(3, 0), t -> t.compositions = new int[] {-512, 512, -512});
    assertThatThrownBy(() -> read(new Fmp4Builder().fragment(unsigned).build()))
        .isInstanceOf(Mp4FormatException.class).hasMessage("trun composition offset 4294966784 of timescale 12800"
            + " out of range");
  }

  @Test
  void withoutTfdtATrackGoesOnWhereItsLastFragmentEndedAndItNeverGoesBack() throws IOException {
    Fmp4Builder builder = new Fmp4Builder();
    builder.trexFlags = new int[] {NON_SYNC, 0};
    builder.fragment(with(video(3, 0), t -> t.firstFlags = SYNC));
    builder.fragment(with(video(2, 0), t -> {
      t.tfdt = null;
      t.firstFlags = SYNC;
    }));
    builder.fragment(with(video(2, 512), t -> t.firstFlags = SYNC)); // back to 40 ms
    builder.fragment(with(video(1, 25600), t -> t.firstFlags = SYNC)); // a gap: 2 s
    byte[] file = builder.build();
    assertThat(order(file, read(file).cursor(0))).isEqualTo("v0K v40 v80 v120K v160 v200K v240 v2000K");
  }

  @Test
  void tracksInMoofsOfTheirOwnMergeAndOtherTracksAreLeftOut() throws IOException {
    Fmp4Builder builder = new Fmp4Builder();
    builder.trexFlags = new int[] {NON_SYNC, 0};
    Traf other = with(audio(2, 0), t -> t.track = 3);
    builder.fragment(with(video(3, 0), t -> t.firstFlags = SYNC));
    builder.fragment(audio(3, 0), other);
    builder.fragment(with(video(3, 1536), t -> t.firstFlags = SYNC));
    builder.fragment(audio(3, 3072));
    byte[] file = builder.build();
    Mp4Samples index = read(file);
    String all = "v0K a0 a21 v40 a42 a64 v80 a85 a106 v120K v160 v200";
    assertThat(order(file, index.cursor(0))).isEqualTo(all);
    assertThat(order(file, index.cursor(130))).isEqualTo("v120K v160 v200");
    assertThat(order(file, index.cursor(100))).isEqualTo(all);
  }

  @Test
  void aSeekFindsTheKeyframeInsideAFragmentThatDoesNotStartWithOne() throws IOException {
    Fmp4Builder builder = new Fmp4Builder();
    builder.fragment(with(video(4, 0), t -> t.flags = new int[] {SYNC, NON_SYNC, NON_SYNC, NON_SYNC}),
        audio(8, 0));
    builder.fragment(with(video(4, 2048), t -> t.flags = new int[] {NON_SYNC, NON_SYNC, SYNC, NON_SYNC}),
        audio(8, 8192));
    builder.fragment(with(video(4, 4096), t -> t.flags = new int[] {NON_SYNC, NON_SYNC, NON_SYNC, NON_SYNC}),
        audio(8, 16384));
    byte[] file = builder.build();
    Mp4Samples index = read(file);
    List<Mp4Sample> all = walk(index.cursor(0));
    for (long t : new long[] {1, 200, 239, 240, 241, 320, 400, 479, 10_000}) {
      long key = t < 240 ? 0 : 240;
      Mp4Sample keyframe = all.stream().filter(s -> s.video() && s.timestamp() == key).findFirst().orElseThrow();
      Predicate<Mp4Sample> expected = s -> s.video() ? all.indexOf(s) >= all.indexOf(keyframe)
          : s.timestamp() >= key;
      assertThat(walk(index.cursor(t))).as("from %d", t).isEqualTo(all.stream().filter(expected).toList());
    }
  }

  @Test
  void aFileCutInsideItsLastFragmentEndsAtTheFragmentBefore() throws IOException {
    Fmp4Builder builder = new Fmp4Builder();
    builder.fragment(video(3, 0), audio(2, 0));
    builder.fragment(video(3, 1536), audio(2, 2048));
    byte[] file = builder.build();
    String first = "v0K a0 a21 v40K v80K";
    for (int cut = 1; cut < 120; cut++) {
      byte[] shorter = Arrays.copyOf(file, file.length - cut);
      Mp4Samples index = read(shorter);
      assertThat(order(shorter, index.cursor(0))).as("cut by %d", cut).isEqualTo(first);
      assertThat(index.durationMillis()).isEqualTo(120);
    }
    assertThat(order(file, read(file).cursor(0))).isEqualTo("v0K a0 a21 v40K a42 a64 v80K v120K v160K v200K");
  }

  @Test
  void aDataOffsetPastTheFilesEndFails() {
    Fmp4Builder builder = new Fmp4Builder();
    builder.fragment(video(3, 0), with(audio(2, 0), t -> t.dataOffsetError = 10_000));
    byte[] file = builder.build();
    assertThatThrownBy(() -> read(file)).isInstanceOf(Mp4FormatException.class)
        .hasMessageMatching("trun sample at offset \\d+ of 7 bytes past the file's end at " + file.length);
    Fmp4Builder before = new Fmp4Builder();
    before.fragment(with(video(3, 0), t -> {
      t.base = Base.EXPLICIT;
      t.dataOffsetError = -100_000;
    }));
    assertThatThrownBy(() -> read(before.build())).isInstanceOf(Mp4FormatException.class)
        .hasMessageStartingWith("trun sample at offset -");
  }

  @Test
  void moreFragmentsThanTheIndexSizeAllowsOrAHugeMoofFail() throws IOException {
    Fmp4Builder builder = new Fmp4Builder();
    for (int f = 0; f < 40; f++) {
      builder.fragment(video(1, 512L * f));
    }
    byte[] file = builder.build();
    assertThatThrownBy(() -> Fmp4Builder.read(file, 1024)).isInstanceOf(Mp4FormatException.class)
        .hasMessage("more than 32 fragments, the most an index of 1024 bytes holds");
    assertThat(walk(Fmp4Builder.read(file, 2048).cursor(0))).hasSize(40);
    byte[] huge = Mp4Builder.cat(file, Mp4Builder.box("moof", new byte[Fmp4Index.MAX_MOOF]),
        Mp4Builder.box("mdat"));
    assertThatThrownBy(() -> read(huge)).isInstanceOf(Mp4FormatException.class)
        .hasMessage("moof of " + (Fmp4Index.MAX_MOOF + 8) + " bytes at " + file.length + ", above 1048576");
  }

  @Test
  void theEntryPointReadsAProgressiveFileAsBeforeAndAFragmentedOneWithTheFragmentReader() throws IOException {
    byte[] progressive = new Mp4Builder().build();
    assertThat(read(progressive)).isInstanceOf(Mp4Index.class);
    byte[] fragmented = new Fmp4Builder().fragment(video(3, 0)).build();
    assertThat(read(fragmented)).isInstanceOf(Fmp4Index.class);
    assertThatThrownBy(() -> Mp4IndexTest.read(fragmented)).isInstanceOf(Mp4FormatException.class)
        .hasMessage("no H.264 or AAC track with samples in 2 tracks");
    assertThatThrownBy(() -> read(new Fmp4Builder().build())).isInstanceOf(Mp4FormatException.class)
        .hasMessage("no H.264 or AAC track with samples in 2 tracks");
  }
}
