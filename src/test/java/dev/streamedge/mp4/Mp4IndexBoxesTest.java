package dev.streamedge.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Byte-level: MP4 files built box by box ({@link Mp4Builder}), each table variant the reader must follow. */
@Tag("unit")
class Mp4IndexBoxesTest {

  /** The default file in decode order: video every 40 ms, AAC every 21.33 ms, video first on a tie. */
  private static final String DEFAULT_ORDER = "v0K a0 a21 v40 a42 a64 v80 a85 a106 v120 a128 a149 v160 v200K v240 v280"
      + " v320 v360";

  private static Mp4Builder builder(Consumer<Mp4Builder> options) {
    Mp4Builder builder = new Mp4Builder();
    options.accept(builder);
    return builder;
  }

  /** The samples, as v or a, timestamp, K for a video keyframe; each checked to be one sample's bytes in the file. */
  static String order(byte[] file, SampleCursor cursor) throws IOException {
    StringBuilder order = new StringBuilder();
    for (Mp4Sample s = cursor.next(); s != null; s = cursor.next()) {
      byte marker = file[(int) s.offset()];
      int sample = (marker & 0xFF) - (s.video() ? 0x10 : 0x80);
      assertThat(s.size()).as("%s", s).isEqualTo(s.video() ? 20 + sample : 7);
      for (long i = s.offset(); i < s.offset() + s.size(); i++) {
        assertThat(file[(int) i]).as("byte %d of %s", i, s).isEqualTo(marker);
      }
      order.append(order.length() == 0 ? "" : " ").append(s.video() ? "v" : "a").append(s.timestamp())
          .append(s.video() && s.keyframe() ? "K" : "");
    }
    return order.toString();
  }

  @Test
  void version1BoxesLargesizeCo64AndAMoovFirstReadAsTheirPlainCounterparts() throws IOException {
    for (Consumer<Mp4Builder> options : List.<Consumer<Mp4Builder>>of(b -> { }, b -> b.moovFirst = true,
        b -> b.version1 = true, b -> b.largeMdat = true, b -> b.co64 = true,
        b -> b.moovFirst = b.version1 = b.largeMdat = b.co64 = true)) {
      byte[] file = builder(options).build();
      Mp4Index index = Mp4IndexTest.read(file);
      assertThat(order(file, index.cursor(0))).isEqualTo(DEFAULT_ORDER);
      assertThat(index.durationMillis()).isEqualTo(400);
      assertThat(index.samples()).isEqualTo(18);
    }
  }

  @Test
  void anEmptyEditDelaysItsTrackAndTheMediaTimeOfTheNextEditShiftsIt() throws IOException {
    for (boolean version1 : new boolean[] {false, true}) {
      byte[] file = builder(b -> {
        b.version1 = version1;
        b.videoEmptyEdit = 500; // movie timescale 1000: 500 ms
        b.videoMediaTime = 1024; // 80 ms of video left out
        b.audioSamples = 2;
      }).build();
      Mp4Index index = Mp4IndexTest.read(file);
      assertThat(order(file, index.cursor(0))).isEqualTo("a0 a21 v420K v460 v500 v540 v580 v620K v660 v700 v740 v780");
      assertThat(index.durationMillis()).isEqualTo(820);
    }
  }

  @Test
  void negativeCompositionOffsetsMoveBothTracksSoThatNoPresentationTimeIsNegative() throws IOException {
    byte[] file = builder(b -> {
      b.version1 = true; // ctts version 1: signed
      b.videoCtts = new int[] {-512, 1024, -512, 1024, -512, 0, 0, 0, 0, 0};
      b.audioSamples = 2;
    }).build();
    Mp4Index index = Mp4IndexTest.read(file);
    assertThat(order(file, index.cursor(0))).isEqualTo("v40K a40 a61 v80 v120 v160 v200 v240K v280 v320 v360 v400");
    Mp4Cursor cursor = index.cursor(0);
    assertThat(cursor.next().compositionOffset()).isEqualTo(-40);
    cursor.next();
    cursor.next();
    assertThat(cursor.next().compositionOffset()).isEqualTo(80);
  }

  @Test
  void aCursorStartsAtAKeyframeWithAudioFromItsTimeOrAtTheFileStartBeforeTheFirstKeyframe() throws IOException {
    byte[] file = builder(b -> b.videoSync = new int[] {3, 8}).build();
    Mp4Index index = Mp4IndexTest.read(file);
    String all = "v0 a0 a21 v40 a42 a64 v80K a85 a106 v120 a128 a149 v160 v200 v240 v280K v320 v360";
    assertThat(order(file, index.cursor(0))).isEqualTo(all);
    assertThat(order(file, index.cursor(50))).as("before the first keyframe: the file's start").isEqualTo(all);
    assertThat(index.cursor(100).next()).isEqualTo(new Mp4Sample(true, 80, 0, true, offsetOf(file, 0x12), 22));
    assertThat(index.cursor(300).next().timestamp()).isEqualTo(280);
    file = builder(b -> b.videoSync = null).build();
    assertThat(order(file, Mp4IndexTest.read(file).cursor(130))).as("without stss every sample is a keyframe")
        .isEqualTo("v120K a128 a149 v160K v200K v240K v280K v320K v360K");
  }

  private static long offsetOf(byte[] file, int marker) {
    for (int i = 0; i < file.length; i++) {
      if (file[i] == marker && file[i + 1] == marker) {
        return i;
      }
    }
    throw new AssertionError();
  }

  @Test
  void tablesThatContradictEachOtherFailWithAMessage() {
    assertFails(builder(b -> b.videoSync = new int[] {1, 11}).build(), "stss entry 11 after 1 of 10 samples");
    assertFails(builder(b -> b.videoCtts = new int[] {0, 0, 0, 0, 0}).build(), "ctts covers 5 of 10 samples");
    byte[] file = new Mp4Builder().build();
    patch(file, "stts", 8, 9); // the video's one run: 9 samples
    assertFails(file, "stts covers 9 samples, stsz has 10");
    file = new Mp4Builder().build();
    patch(file, "stsc", 8, 2); // the first run from chunk 2
    assertFails(file, "stsc entry 1 (chunk 2, 3 samples) out of order or range, 4 chunks");
    file = new Mp4Builder().build();
    patch(file, "stsc", 12, 2); // 2 samples a chunk: 4 chunks hold 8
    assertFails(file, "stsc's 4 chunks hold 8 of 10 samples");
    byte[] overrun = new Mp4Builder().build();
    patch(overrun, "mvhd", -8, 100_000);
    assertThatThrownBy(() -> Mp4IndexTest.read(overrun)).isInstanceOf(Mp4FormatException.class)
        .hasMessageStartingWith("box 'mvhd' of 100000 bytes at 0 of moov");
  }

  /** Sets the 32-bit value {@code at} bytes after the type of the first box {@code type} in {@code file}. */
  private static void patch(byte[] file, String type, int at, int value) {
    byte[] name = Mp4Builder.ascii(type);
    for (int i = 0; i + 4 <= file.length; i++) {
      if (file[i] == name[0] && file[i + 1] == name[1] && file[i + 2] == name[2] && file[i + 3] == name[3]) {
        ByteBuffer.wrap(file).putInt(i + 4 + at, value);
        return;
      }
    }
    throw new AssertionError("no " + type);
  }

  private static void assertFails(byte[] file, String message) {
    assertThatThrownBy(() -> Mp4IndexTest.read(file)).isInstanceOf(Mp4FormatException.class).hasMessage(message);
  }
}
