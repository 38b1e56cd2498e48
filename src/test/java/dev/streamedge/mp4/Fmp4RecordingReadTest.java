package dev.streamedge.mp4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.fmp4.AacSampleEntry;
import dev.streamedge.fmp4.AvcSampleEntry;
import dev.streamedge.fmp4.Fmp4Muxer;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A recording as the server writes it with {@code record.format: fmp4}: the init segment and fragments of
 * {@link Fmp4Muxer}, the writer the recorder's {@code Fmp4Encoder} writes through (package-private in
 * {@code dev.streamedge.record}, so its cutting rule is repeated here: a fragment ends before the first video
 * frame half a second or more after its start, the last one at the end). Every frame written is read back
 * with its bytes, time, composition offset and keyframe flag.
 */
@Tag("unit")
class Fmp4RecordingReadTest {

  private static final long FRAGMENT_MILLIS = 500;
  private static final int RATE = 44_100;

  /** A frame written: its track, time and composition offset in milliseconds, keyframe, bytes. */
  private record Frame(boolean video, long time, int composition, boolean keyframe, byte[] data) {
  }

  @Test
  void everyFrameOfARecordingReadsBackAtItsTimeWithItsBytesAndSeeksLandOnKeyframes() throws IOException {
    List<Frame> frames = new ArrayList<>();
    int audioFrames = 0;
    for (int i = 0; i < 75; i++) { // 3 s at 25 fps, a keyframe a second, B-frame-like composition offsets
      long time = i * 40L;
      for (long audio = audioFrames * 1024L * 1000 / RATE; audio < time; audio = audioFrames * 1024L * 1000 / RATE) {
        frames.add(new Frame(false, audio, 0, true, bytes(9 + audioFrames % 5, frames.size())));
        audioFrames++;
      }
      frames.add(new Frame(true, time, i % 3 == 1 ? 80 : 0, i % 25 == 0, bytes(100 + i, frames.size())));
    }
    byte[] file = record(frames);

    Mp4Samples index = Fmp4Builder.read(file, 1 << 20);
    assertThat(index).isInstanceOf(Fmp4Index.class);
    List<Mp4Sample> samples = Fmp4Builder.walk(index.cursor(0));
    assertThat(samples).hasSameSizeAs(frames);
    for (boolean video : new boolean[] {true, false}) {
      List<Mp4Sample> ours = samples.stream().filter(s -> s.video() == video).toList();
      List<Frame> written = frames.stream().filter(f -> f.video() == video).toList();
      assertThat(ours).hasSameSizeAs(written);
      for (int i = 0; i < ours.size(); i++) {
        Mp4Sample s = ours.get(i);
        Frame f = written.get(i);
        assertThat(new long[] {s.timestamp(), s.compositionOffset(), s.keyframe() ? 1 : 0})
            .as("%s frame %d", video ? "video" : "audio", i).containsExactly(f.time(), f.composition(),
                f.keyframe() ? 1 : 0);
        assertThat(Arrays.copyOfRange(file, (int) s.offset(), (int) s.offset() + s.size())).isEqualTo(f.data());
      }
    }
    assertThat(index.durationMillis()).as("the audio's end: %d frames of 1024", audioFrames)
        .isEqualTo(Math.max(3000, audioFrames * 1024L * 1000 / RATE));
    List<Mp4Sample> fromOneAndAHalf = Fmp4Builder.walk(index.cursor(1500));
    assertThat(fromOneAndAHalf.get(0)).isEqualTo(samples.stream().filter(s -> s.video() && s.timestamp() == 1000)
        .findFirst().orElseThrow());
    assertThat(fromOneAndAHalf).isEqualTo(samples.stream().filter(s -> s.timestamp() >= 1000).toList());
  }

  /** The file the recorder writes of {@code frames}: init segment, then fragments cut as Fmp4Encoder cuts them. */
  private static byte[] record(List<Frame> frames) {
    Fmp4Muxer muxer = new Fmp4Muxer(new AvcSampleEntry(Mp4Builder.AVCC, 320, 240),
        new AacSampleEntry(new byte[] {0x12, 0x10}, RATE, 2), -1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(muxer.init());
    long sequence = 1;
    long fragmentStart = 0;
    for (Frame frame : frames) {
      if (frame.video()) {
        if (muxer.hasSamples() && frame.time() - fragmentStart >= FRAGMENT_MILLIS) {
          out.writeBytes(muxer.fragment(sequence++, frame.time()));
          fragmentStart = frame.time();
        }
        muxer.video(frame.time(), frame.composition(), frame.keyframe(), null, Unpooled.wrappedBuffer(frame.data()));
      } else {
        muxer.audio(frame.time(), Unpooled.wrappedBuffer(frame.data()), 1024);
      }
    }
    out.writeBytes(muxer.fragment(sequence, frames.get(frames.size() - 1).time() + 40));
    return out.toByteArray();
  }

  private static byte[] bytes(int size, int seed) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) (seed * 31 + i);
    }
    return bytes;
  }
}
