package dev.streamedge.rtmp.server;

import dev.streamedge.stream.StreamKey;

/**
 * What plays on a message stream: a live stream ({@link RtmpPlayer}) or a file on demand
 * ({@link RtmpVodPlayer}). On the connection's context.
 */
interface Playing {

  /** The stream or file played, as the API and the logs name it. */
  StreamKey key();

  /** Packets not sent to this player, skipped to keep it live. */
  long dropped();

  /** The connection takes writes again. */
  void drain();

  /** Called once, when the play ends. */
  void stop();

  /** {@code seek} (NetStream.seek): only a file can; false when this play cannot. */
  default boolean seek(long millis) {
    return false;
  }

  /** {@code pause} (NetStream.pause, NetStream.resume): only a file can; false when this play cannot. */
  default boolean pause(boolean paused, long millis) {
    return false;
  }

  /** The player's buffer, from its SetBufferLength. */
  default void bufferMillis(long millis) {
  }
}
