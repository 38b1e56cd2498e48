package dev.streamedge.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a channel past every handler of its pipeline. Vert.x's own close, of a socket, an HTTP
 * connection or a WebSocket, first writes what it queued and only then closes, which a client that reads
 * nothing never lets happen: its socket, and the server's buffers for it, would stay until it went away.
 * What is still unsent is dropped.
 */
final class ChannelCutOff {

  private ChannelCutOff() {
  }

  /** Closes {@code channel} now. */
  static void now(Channel channel) {
    ChannelHandlerContext first = channel.pipeline().firstContext();
    if (first != null) {
      first.close();
    } else {
      channel.close();
    }
  }

  /** Closes {@code channel} {@code grace} from now unless it closed by then. From any thread. */
  static void within(Channel channel, Duration grace) {
    ScheduledFuture<?> cutOff = channel.eventLoop().schedule(() -> now(channel), grace.toNanos(),
        TimeUnit.NANOSECONDS);
    channel.closeFuture().addListener(f -> cutOff.cancel(false));
  }
}
