package dev.streamedge.rtsp.server;

import dev.streamedge.rtsp.RtspDecoder;
import dev.streamedge.rtsp.RtspFormatException;
import dev.streamedge.rtsp.RtspMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * What a connection received and has not read as whole messages yet. The decoder takes a message only once it
 * is whole and refuses a head or body past its limits, so this holds at most a request's limit and one
 * interleaved frame (64 KiB): a connection that stops being read (a request waiting for its answer) is paused.
 */
final class RequestBuffer {

  private final RtspDecoder decoder;
  private ByteBuf received = Unpooled.EMPTY_BUFFER;

  RequestBuffer(int maxRequestBytes) {
    this.decoder = new RtspDecoder(maxRequestBytes, maxRequestBytes);
  }

  void append(Buffer data) {
    ByteBuf copy = Unpooled.wrappedBuffer(data.getBytes());
    received = received.isReadable() ? Unpooled.wrappedBuffer(received, copy) : copy;
  }

  /** The next whole message, or null until more comes. */
  RtspMessage next() throws RtspFormatException {
    return decoder.decode(received);
  }

  /** Lets go of what was read: the rest is kept in one buffer of its own. */
  void compact() {
    if (!received.isReadable()) {
      received = Unpooled.EMPTY_BUFFER;
    } else if (received.readerIndex() > 0) {
      received = Unpooled.copiedBuffer(received);
    }
  }
}
