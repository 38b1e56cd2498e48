package dev.streamedge.rtmp.message;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * A User Control message (RTMP 1.0 §6.2, events in §7.1.7): an event type and its 4-byte values, the
 * first a stream id or a ping's timestamp, the second SetBufferLength's milliseconds.
 *
 * @param event the event type, one of the constants here or another
 * @param value the event's first value, 0 when the message carries none
 * @param second the event's second value, 0 when the message carries none
 */
public record UserControl(int event, long value, long second) {

  /** An event with one value. */
  public UserControl(int event, long value) {
    this(event, value, 0);
  }

  public static final int STREAM_BEGIN = 0;
  public static final int STREAM_EOF = 1;
  public static final int SET_BUFFER_LENGTH = 3;
  public static final int PING_REQUEST = 6;
  public static final int PING_RESPONSE = 7;

  /** Reads the payload without moving its reader index. */
  public static UserControl parse(ByteBuf payload) throws ProtocolException {
    if (payload.readableBytes() < 2) {
      throw new ProtocolException("User Control message shorter than 2 bytes");
    }
    int event = payload.getUnsignedShort(payload.readerIndex());
    long value = payload.readableBytes() >= 6 ? payload.getUnsignedInt(payload.readerIndex() + 2) : 0;
    long second = payload.readableBytes() >= 10 ? payload.getUnsignedInt(payload.readerIndex() + 6) : 0;
    return new UserControl(event, value, second);
  }
}
