package dev.streamedge.net;

import io.vertx.core.net.impl.ConnectionBase;
import java.util.function.LongConsumer;

/**
 * Tells Vert.x's metrics about bytes written past the socket. Media written straight into the channel
 * (by {@link WriteMerger}, in front of Vert.x's handler) is not seen by Vert.x, so its
 * {@code vertx_net_server_bytes_written_total} would count only commands and control messages: this
 * reports those bytes to the HTTP connection's own metrics, as its own writes are ({@link EventLoopSocket}
 * reports an RTMP connection's itself). Vert.x's {@code ConnectionBase} is implementation API.
 */
final class VertxWrittenBytes {

  private VertxWrittenBytes() {
  }

  /**
   * What reports {@code n} bytes written on {@code connection}, an HTTP connection; on its event loop.
   */
  static LongConsumer of(Object connection) {
    if (connection instanceof ConnectionBase base) {
      return base::reportBytesWritten;
    }
    return n -> { };
  }
}
