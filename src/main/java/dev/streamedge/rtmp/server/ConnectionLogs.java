package dev.streamedge.rtmp.server;

import dev.streamedge.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log lines of an RTMP connection, whichever of its parts writes them: one logger, named
 * {@code RtmpConnection} as operators and tests know it, and one bound per kind of line
 * (log.max-lines-per-second), so that a storm of connections cannot flood the log.
 */
final class ConnectionLogs {

  static final Logger LOG = LoggerFactory.getLogger(RtmpConnection.class);
  static final RateLimitedLog CONNECT = RateLimitedLog.of(LOG, "connect");
  static final RateLimitedLog PUBLISH = RateLimitedLog.of(LOG, "publish");
  static final RateLimitedLog PLAY = RateLimitedLog.of(LOG, "play");
  static final RateLimitedLog STOP = RateLimitedLog.of(LOG, "stop");
  static final RateLimitedLog REFUSED = RateLimitedLog.of(LOG, "refused");
  static final RateLimitedLog DATA_DROPPED = RateLimitedLog.of(LOG, "script data dropped");
  static final RateLimitedLog RECONNECT = RateLimitedLog.of(LOG, "reconnect requested");
  static final RateLimitedLog DISCONNECT = RateLimitedLog.of(LOG, "disconnect");
  static final RateLimitedLog ERROR = RateLimitedLog.of(LOG, "internal error");

  private ConnectionLogs() {
  }
}
