package dev.streamedge.rtmp.server;

import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.UserControl;

/**
 * A connected connection's pings (User Control PingRequest and PingResponse, RTMP 1.0 §7.1.7): one after
 * {@code rtmp.ping-interval} in which the client sent nothing, while none is outstanding; a client that
 * does not answer within {@code rtmp.ping-timeout} is gone. An interval of 0 sends none.
 *
 * <p>A client that sends anything is alive, as nginx-rtmp's ping has it, and is not pinged: ffmpeg reads
 * what a server sends a publisher only between its own writes, and one that closed its socket with a ping
 * unread made its kernel reset the connection, losing the last messages it had written (its stream's last
 * audio packets, its deleteStream), once on CI.
 */
final class Pings {

  private final long intervalNanos;
  private final long timeoutNanos;
  private long lastNanos;
  /** When the outstanding ping was sent; -1 when none is. */
  private long sentNanos = -1;
  /** The client's byte count at the last check. */
  private long heardBytes;

  Pings(long intervalNanos, long timeoutNanos, long startNanos) {
    this.intervalNanos = intervalNanos;
    this.timeoutNanos = timeoutNanos;
    this.lastNanos = startNanos;
  }

  /** A PingResponse came. */
  void answered() {
    sentNanos = -1;
  }

  /**
   * Sends a ping when one is due at {@code now}; returns why the connection closes, or null.
   *
   * @param bytesIn every byte the client has sent so far
   */
  String check(long now, long bytesIn, ConnectionWriter writer) {
    if (bytesIn != heardBytes) {
      heardBytes = bytesIn;
      lastNanos = now;
      sentNanos = -1;
      return null;
    }
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
