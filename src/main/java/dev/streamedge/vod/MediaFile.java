package dev.streamedge.vod;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * A file played on demand, as the tags an RTMP player gets, whatever its format: read a piece at a time,
 * blocking, on a worker thread. A {@link FilePlayback} calls one method at a time (never two at once, though
 * from whichever worker), so an implementation keeps its position and parser state without locks.
 */
interface MediaFile {

  /** One tag: its body as an RTMP message (and an FLV tag) carries it, the file's own. */
  record Tag(MediaKind kind, long timestamp, ByteBuf body) {
  }

  /** Where a seek lands: the timestamp played from, and the sequence headers a decoder needs there. */
  record Start(long timestamp, List<Tag> configs) {
  }

  /** The tags that come next, about {@value FilePlayback#READ_SIZE} bytes' worth or one whole tag; none at the end. */
  List<Tag> next() throws IOException;

  /** Moves to the last keyframe at or before {@code timeMillis}; {@link #next} goes on from there. */
  Start seek(long timeMillis) throws IOException;

  /** How long the file plays (its last tag's timestamp), when the file tells. */
  OptionalLong durationMillis();

  /** Closes the file; blocking too. */
  void close();
}
