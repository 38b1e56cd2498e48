package dev.streamedge.rtmp.message;

import dev.streamedge.rtmp.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * Window Acknowledgement Size (RTMP 1.0 §5.4.4): the peer wants an Acknowledgement after each window
 * of this many bytes.
 *
 * @param size the window in bytes, an unsigned 32-bit value
 */
public record WindowAckSize(long size) {

  /** Reads the payload without moving its reader index. */
  public static WindowAckSize parse(ByteBuf payload) throws ProtocolException {
    if (payload.readableBytes() < 4) {
      throw new ProtocolException("Window Acknowledgement Size message shorter than 4 bytes");
    }
    return new WindowAckSize(payload.getUnsignedInt(payload.readerIndex()));
  }
}
