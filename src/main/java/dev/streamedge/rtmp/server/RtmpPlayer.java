package dev.streamedge.rtmp.server;

import dev.streamedge.config.PlayerConfig;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.metrics.PlayerMeters;
import dev.streamedge.stream.MergeWrite;
import dev.streamedge.stream.PacketBatch;
import dev.streamedge.stream.PlayerQueue;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.vertx.core.Context;
import java.util.List;

/** One RTMP play on one message stream of a connection. Lives on the connection's context. */
final class RtmpPlayer implements StreamSubscriber, PlayerQueue.Output {

  private final RtmpConnection connection;
  private final int streamId;
  private final StreamKey key;
  private final PlayerQueue queue;
  private final PlayerMeters meters;
  private final MergeWrite mergeWrite;
  private Subscription subscription;

  RtmpPlayer(RtmpConnection connection, int streamId, StreamKey key, PlayerConfig config, PlayerMeters meters) {
    this.connection = connection;
    this.streamId = streamId;
    this.key = key;
    this.meters = meters;
    this.mergeWrite = MergeWrite.of(config);
    this.queue = new PlayerQueue(this, config, meters);
  }

  void start(Subscription subscription) {
    this.subscription = subscription;
    meters.playerStarted();
  }

  /** Called once, when the play ends. */
  void stop() {
    meters.playerStopped();
    queue.close();
    if (subscription != null) {
      subscription.cancel();
    }
  }

  void drain() {
    queue.drain();
  }

  long dropped() {
    return queue.dropped();
  }

  StreamKey key() {
    return key;
  }

  @Override
  public Context context() {
    return connection.context();
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    meters.joined(startPackets);
    for (MediaPacket packet : startPackets) {
      queue.offer(packet);
    }
  }

  @Override
  public void packet(MediaPacket packet) {
    queue.offer(packet);
  }

  @Override
  public MergeWrite mergeWrite() {
    return mergeWrite;
  }

  @Override
  public void packets(PacketBatch batch, int from) {
    queue.offer(batch, from);
  }

  @Override
  public void published() {
    connection.streamBegin(streamId);
    connection.sendStatus(streamId, "status", "NetStream.Play.PublishNotify", key.name() + " is now published.");
  }

  @Override
  public void unpublished() {
    connection.streamEof(streamId);
    connection.sendStatus(streamId, "status", "NetStream.Play.UnpublishNotify", key.name() + " is now unpublished.");
  }

  @Override
  public String viewerProtocol() {
    return meters.protocol().label();
  }

  @Override
  public boolean full() {
    return connection.writeQueueFull();
  }

  @Override
  public void write(MediaPacket packet) {
    connection.writeMedia(packet, streamId);
  }

  @Override
  public void write(PacketBatch batch) {
    connection.writeMedia(batch, streamId);
  }

  @Override
  public void close(String reason) {
    connection.close(reason);
  }
}
