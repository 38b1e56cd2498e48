package dev.streamedge.mp4;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An MP4 file's first H.264 and first AAC track, progressive ({@link Mp4Index}: sample tables in
 * {@code moov}) or fragmented ({@link Fmp4Index}: samples in {@code moof} boxes), as one player reads
 * either: the codec configurations, the duration, and cursors from a time.
 */
public interface Mp4Samples {

  /**
   * Reads the index of the {@code length}-byte {@code file}: the fragmented reader when its {@code moov}
   * has an {@code mvex} (ISO/IEC 14496-12 §8.8.1) or is followed by a {@code moof}, samples in the moov's own
   * tables first (ffmpeg's frag_keyframe without empty_moov) unless there are more than a moof may have (then
   * those alone, by the progressive reader); the progressive one otherwise. A {@code moov} of more than
   * {@code maxIndexBytes} is refused, and so is a file that is no MP4 this can play, with an
   * {@link Mp4FormatException}.
   */
  static Mp4Samples read(Mp4Index.Source file, long length, int maxIndexBytes) throws IOException {
    Movie.Found moov = Movie.find(file, length, maxIndexBytes);
    boolean fragmented = Boxes.child(moov.body(), "mvex", "moov") != null || moofAt(file, moov.end(), length);
    Mp4Samples fragments = fragmented ? Fmp4Index.read(file, length, maxIndexBytes, moov) : null;
    return fragments != null ? fragments : Mp4Index.of(moov.body(), length);
  }

  private static boolean moofAt(Mp4Index.Source file, long at, long length) throws IOException {
    return length - at >= Boxes.HEADER
        && FileBoxes.read(file, ByteBuffer.allocate(FileBoxes.MAX_HEADER), at, length).type() == Boxes.type("moof");
  }

  /** The longest track's end, milliseconds, before the move that keeps every time non-negative. */
  long durationMillis();

  /** The AVC sequence header's VideoTagBody (FLV spec v10.1 §E.4.3.1), a fresh copy; null without video. */
  ByteBuf videoConfig();

  /** The AAC sequence header's AudioTagBody (§E.4.2.1), a fresh copy; null without audio. */
  ByteBuf audioConfig();

  /**
   * The samples from {@code fromMillis}: video from its last sync sample at or before it, audio from the
   * first sample at or after that one's time; without video, audio from its last sample at or before it.
   * 0 (or less), or a time before the first sync sample, starts at the file's start.
   */
  SampleCursor cursor(long fromMillis) throws IOException;
}
