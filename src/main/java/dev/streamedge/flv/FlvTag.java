package dev.streamedge.flv;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.PacketEncoder;
import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;

/**
 * FLV file header and tags (Adobe FLV spec v10.1, §E.2 header, §E.3 body, §E.4.1 tag), as HTTP-FLV
 * and WebSocket-FLV players read them.
 */
public final class FlvTag {

  /** The 9-byte header plus PreviousTagSize0. */
  public static final int HEADER_LENGTH = 9 + 4;
  /** Tag header before the body, plus the PreviousTagSize after it. */
  public static final int OVERHEAD = 11 + 4;

  private static final int TYPE_AUDIO = 8;
  private static final int TYPE_VIDEO = 9;
  private static final int TYPE_SCRIPT = 18;
  private static final int FLAG_AUDIO = 0x04;
  private static final int FLAG_VIDEO = 0x01;

  private FlvTag() {
  }

  /** "FLV", version 1, the TypeFlags, DataOffset 9, then PreviousTagSize0 = 0 (§E.2, §E.3). */
  public static void writeHeader(ByteBuf out, boolean audio, boolean video) {
    out.writeByte('F').writeByte('L').writeByte('V').writeByte(1)
        .writeByte((audio ? FLAG_AUDIO : 0) | (video ? FLAG_VIDEO : 0))
        .writeInt(9)
        .writeInt(0);
  }

  /**
   * One tag: TagType, DataSize (24 bits), Timestamp (lower 24 bits then TimestampExtended as the upper
   * 8), StreamID 0, the body, then PreviousTagSize = 11 + body size (§E.4.1).
   */
  public static void write(ByteBuf out, MediaKind kind, long timestamp, ByteBuf body) {
    int size = body.readableBytes();
    out.writeByte(typeOf(kind))
        .writeMedium(size)
        .writeMedium((int) (timestamp & 0xFFFFFF))
        .writeByte((int) (timestamp >>> 24) & 0xFF)
        .writeMedium(0)
        .writeBytes(body, body.readerIndex(), size)
        .writeInt(11 + size);
  }

  /** Encodes each packet once, into a direct buffer, for all FLV players of the node. */
  public static PacketEncoder fanOutEncoder() {
    return (kind, timestamp, body) -> {
      ByteBuf out = WireBuffers.directForFanOut(body.readableBytes() + OVERHEAD);
      write(out, kind, timestamp, body);
      return WireBuffers.wrap(out);
    };
  }

  private static int typeOf(MediaKind kind) {
    return switch (kind) {
      case AUDIO -> TYPE_AUDIO;
      case VIDEO -> TYPE_VIDEO;
      case DATA -> TYPE_SCRIPT;
    };
  }
}
