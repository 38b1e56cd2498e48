package dev.streamedge.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * What a connection received and has not read as whole messages yet, with the decoder that reads them: a server's
 * ({@link RtspDecoder#RtspDecoder}: requests) or a client's ({@link RtspDecoder#forReplies}: replies). The decoder
 * takes a message only once it is whole and refuses a head or body past its limits, so this holds at most a
 * message's limits and one interleaved frame (64 KiB): a connection that stops being read (a request waiting for
 * its answer) is paused.
 */
public final class MessageBuffer {

  private final RtspDecoder decoder;
  private ByteBuf received = Unpooled.EMPTY_BUFFER;

  public MessageBuffer(RtspDecoder decoder) {
    this.decoder = decoder;
  }

  /** Appends what arrived, the caller's bytes: kept as they are, not copied. */
  public void append(byte[] data) {
    ByteBuf wrapped = Unpooled.wrappedBuffer(data);
    received = received.isReadable() ? Unpooled.wrappedBuffer(received, wrapped) : wrapped;
  }

  /**
   * The next whole message, or null until more comes. An interleaved frame's data is a slice of what is held:
   * valid until {@link #compact}.
   */
  public RtspMessage next() throws RtspFormatException {
    return decoder.decode(received);
  }

  /** Lets go of what was read: the rest is kept in one buffer of its own. */
  public void compact() {
    if (!received.isReadable()) {
      received = Unpooled.EMPTY_BUFFER;
    } else if (received.readerIndex() > 0) {
      received = Unpooled.copiedBuffer(received);
    }
  }
}
