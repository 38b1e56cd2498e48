package dev.streamedge.cluster.link;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Puts a {@link MediaFrame} on the clustered event bus. On the wire: version (1 byte), flags (1: resync
 * 0x01, metadata 0x02), kind (1), role (1), link (8), sequence (8), timestamp (8), body length (4), body. Locally
 * the frame itself is handed over, never copied: frames are immutable. Registered on every node under
 * {@link #NAME}, the name that travels on the wire.
 */
public final class MediaFrameCodec implements MessageCodec<MediaFrame, MediaFrame> {

  public static final String NAME = "streamedge.media-frame.v1";
  private static final byte VERSION = 1;
  private static final int FLAG_RESYNC = 0x01;
  private static final int FLAG_METADATA = 0x02;
  private static final int HEADER_LENGTH = 1 + 1 + 1 + 1 + 8 + 8 + 8 + 4;
  private static final MediaKind[] KINDS = MediaKind.values();
  private static final Role[] ROLES = Role.values();

  @Override
  public void encodeToWire(Buffer buffer, MediaFrame frame) {
    buffer.appendByte(VERSION)
        .appendByte((byte) ((frame.resync() ? FLAG_RESYNC : 0) | (frame.metadata() ? FLAG_METADATA : 0)))
        .appendByte((byte) frame.kind().ordinal())
        .appendByte((byte) frame.role().ordinal())
        .appendLong(frame.link())
        .appendLong(frame.sequence())
        .appendLong(frame.timestamp())
        .appendInt(frame.body().length())
        .appendBuffer(frame.body());
  }

  /** Decodes a frame; a frame from another version or a truncated one is an error of the peer. */
  @Override
  public MediaFrame decodeFromWire(int position, Buffer buffer) {
    if (buffer.length() - position < HEADER_LENGTH) {
      throw new IllegalArgumentException("media frame shorter than its " + HEADER_LENGTH + "-byte header");
    }
    byte version = buffer.getByte(position);
    if (version != VERSION) {
      throw new IllegalArgumentException("media frame version " + version + ", expected " + VERSION);
    }
    int flags = buffer.getByte(position + 1);
    int kind = buffer.getByte(position + 2);
    int role = buffer.getByte(position + 3);
    if (kind < 0 || kind >= KINDS.length || role < 0 || role >= ROLES.length) {
      throw new IllegalArgumentException("media frame with kind " + kind + " and role " + role);
    }
    long link = buffer.getLong(position + 4);
    long sequence = buffer.getLong(position + 12);
    long timestamp = buffer.getLong(position + 20);
    int length = buffer.getInt(position + 28);
    int start = position + HEADER_LENGTH;
    if (length < 0 || length > buffer.length() - start) {
      throw new IllegalArgumentException("media frame body of " + length + " bytes, " + (buffer.length() - start)
          + " left");
    }
    return new MediaFrame(link, sequence, (flags & FLAG_RESYNC) != 0, KINDS[kind], timestamp, ROLES[role],
        (flags & FLAG_METADATA) != 0, buffer.getBuffer(start, start + length));
  }

  @Override
  public MediaFrame transform(MediaFrame frame) {
    return frame;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
