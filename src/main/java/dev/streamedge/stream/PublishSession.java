package dev.streamedge.stream;

import dev.streamedge.media.MediaKind;
import io.netty.buffer.ByteBuf;

/**
 * A publisher's hold on a stream, used on the publisher's context. Packets of a session that was taken
 * over are ignored by the stream, so a stale publisher can never interleave with the new one.
 */
public final class PublishSession {

  private final LiveStream stream;
  private final long id;
  private boolean closed;

  PublishSession(LiveStream stream, long id) {
    this.stream = stream;
    this.id = id;
  }

  /** An audio or video message or a script data message that is not metadata. */
  public void media(MediaKind kind, long timestamp, ByteBuf body) {
    stream.onHome(() -> stream.ingest(id, kind, timestamp, body, false));
  }

  /**
   * onMetaData (as sent with @setDataFrame, the prefix already removed). It has no time of its own: the
   * stream sends it at time 0 wherever it falls ({@link LiveStream#ingest}).
   */
  public void metadata(ByteBuf body) {
    stream.onHome(() -> stream.ingest(id, MediaKind.DATA, 0, body, true));
  }

  /** Ends this session: players get UnpublishNotify unless a new publisher already took over. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stream.onHome(() -> stream.unpublish(id));
  }

  public StreamKey key() {
    return stream.key();
  }
}
