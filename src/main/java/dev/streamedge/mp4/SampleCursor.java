package dev.streamedge.mp4;

import java.io.IOException;

/**
 * The samples of an MP4 file from a seek point on, both tracks merged in timestamp order (video first on a
 * tie). Not thread-safe: one play reads it, on one worker at a time.
 */
public interface SampleCursor {

  /**
   * The next sample, or null after the last. A fragmented file's cursor reads the next fragment's
   * {@code moof} here, so this may block and fail: an {@link Mp4FormatException} for a malformed one.
   */
  Mp4Sample next() throws IOException;
}
