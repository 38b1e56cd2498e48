package dev.streamedge.rtmp.server;

import dev.streamedge.config.PlayerConfig;
import dev.streamedge.media.WireFormat;
import dev.streamedge.metrics.PlayerMeters;
import dev.streamedge.player.Player;
import dev.streamedge.player.PlayerOutput;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.buffer.Buffer;

/**
 * One RTMP play on one message stream of a connection: a {@link Player} whose output is the
 * connection. On the first message stream it is written the chunks encoded once for every RTMP player;
 * on another, messages encoded for it alone. Lives on the connection's context.
 */
final class RtmpPlayer implements PlayerOutput, Playing {

  private final RtmpConnection connection;
  private final ConnectionWriter writer;
  private final int streamId;
  private final StreamKey key;
  private final Player player;
  /** rtmp.idle-streams off: the connection ends when the publisher leaves, as nginx-rtmp's session does. */
  private final boolean endWithPublisher;

  /** {@code shared} is the chunk encoding every RTMP player of the node shares, on the first message stream. */
  RtmpPlayer(RtmpConnection connection, int streamId, StreamKey key, WireFormat shared, PlayerConfig config,
      PlayerMeters meters, boolean endWithPublisher) {
    this.connection = connection;
    this.endWithPublisher = endWithPublisher;
    this.writer = connection.writer();
    this.streamId = streamId;
    this.key = key;
    this.player = streamId == RtmpWire.FIRST_STREAM_ID
        ? Player.of(connection.context(), this, shared, config, meters)
        : Player.unshared(connection.context(), this,
            (kind, timestamp, body) -> writer.encodeMedia(kind, timestamp, body, streamId), config, meters);
  }

  void play(StreamRegistry registry) {
    player.play(registry, key);
  }

  @Override
  public void stop() {
    player.stop();
  }

  @Override
  public void drain() {
    player.drain();
  }

  @Override
  public long dropped() {
    return player.dropped();
  }

  @Override
  public StreamKey key() {
    return key;
  }

  @Override
  public boolean full() {
    return writer.full();
  }

  @Override
  public long unackedBytes() {
    return writer.unackedBytes();
  }

  @Override
  public void write(Buffer media) {
    writer.writeMedia(media);
  }

  @Override
  public void published() {
    writer.streamBegin(streamId);
    writer.status(streamId, "status", "NetStream.Play.PublishNotify", key.name() + " is now published.");
  }

  @Override
  public void unpublished() {
    writer.streamEof(streamId);
    writer.status(streamId, "status", "NetStream.Play.UnpublishNotify", key.name() + " is now unpublished.");
    if (endWithPublisher) {
      // After what was written goes out: the player hears of the end first.
      connection.end("publisher of " + key + " left and rtmp.idle-streams is off");
    }
  }

  @Override
  public void close(String reason) {
    connection.close(reason);
  }
}
