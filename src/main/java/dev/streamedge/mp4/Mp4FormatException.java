package dev.streamedge.mp4;

import java.io.IOException;

/** An MP4 file this reader cannot play: malformed, truncated, too large an index, or no H.264 or AAC track. */
public final class Mp4FormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public Mp4FormatException(String message) {
    super(message);
  }
}
