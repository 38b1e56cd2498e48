package dev.streamedge.rtmp.server;

import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.UserControl;

/**
 * A connected connection's pings (User Control PingRequest and PingResponse, RTMP 1.0 §7.1.7): one every
 * {@code rtmp.ping-interval} while none is outstanding; a client that does not answer within
 * {@code rtmp.ping-timeout} is gone. An interval of 0 sends none.
 */
final class Pings {

  private final long intervalNanos;
  private final long timeoutNanos;
  private long lastNanos;
  /** When the outstanding ping was sent; -1 when none is. */
  private long sentNanos = -1;

  Pings(long intervalNanos, long timeoutNanos, long startNanos) {
    this.intervalNanos = intervalNanos;
    this.timeoutNanos = timeoutNanos;
    this.lastNanos = startNanos;
  }

  /** A PingResponse came. */
  void answered() {
    sentNanos = -1;
  }

  /** Sends a ping when one is due at {@code now}; returns why the connection closes, or null. */
  String check(long now, ConnectionWriter writer) {
    if (intervalNanos > 0) {
      if (sentNanos >= 0 && now - sentNanos > timeoutNanos) {
        return "no ping response within " + timeoutNanos / 1_000_000 + " ms";
      } else if (sentNanos < 0 && now - lastNanos >= intervalNanos) {
        lastNanos = now;
        sentNanos = now;
        writer.control(MessageType.USER_CONTROL,
            RtmpWire.userControl(UserControl.PING_REQUEST, System.currentTimeMillis() & 0xFFFFFFFFL));
      }
    }
    return null;
  }
}
