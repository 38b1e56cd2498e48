package dev.streamedge.player;

import dev.streamedge.config.PlayerConfig;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.PacketEncoder;
import dev.streamedge.media.WireFormat;
import dev.streamedge.metrics.PlayerMeters;
import dev.streamedge.stream.MergeWrite;
import dev.streamedge.stream.PacketBatch;
import dev.streamedge.stream.PlayerQueue;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * One player of a live stream, over whatever protocol: subscribed to the stream, it feeds the player's
 * bounded {@link PlayerQueue} (with {@code player.merge-write}), reports to its protocol's meters, and
 * writes each packet to its {@link PlayerOutput} as the packet's once-made encoding in the player's wire
 * format, so that no player costs a copy. Lives on the player's context.
 */
public final class Player implements StreamSubscriber, PlayerQueue.Output {

  private final Context context;
  private final PlayerOutput output;
  private final WireFormat format;
  /** Encodes each packet for this player alone, or null when it is written the shared encoding. */
  private final PacketEncoder own;
  private final PlayerMeters meters;
  private final String protocol;
  private final MergeWrite mergeWrite;
  private final PlayerQueue queue;
  private Subscription subscription;
  /** Media bytes written to the output, for the queue's marks of what the peer has yet to acknowledge. */
  private long written;

  private Player(Context context, PlayerOutput output, WireFormat format, PacketEncoder own, PlayerConfig config,
      PlayerMeters meters) {
    this.context = context;
    this.output = output;
    this.format = format;
    this.own = own;
    this.meters = meters;
    this.protocol = meters.protocol().label();
    this.mergeWrite = MergeWrite.of(config);
    this.queue = new PlayerQueue(this, config, meters);
  }

  /** A player written each packet's encoding in {@code format}, as every other player of the format is. */
  public static Player of(Context context, PlayerOutput output, WireFormat format, PlayerConfig config,
      PlayerMeters meters) {
    return new Player(context, output, format, null, config, meters);
  }

  /**
   * A player whose bytes no other player shares (an RTMP play on a message stream other than the
   * first): {@code encoder} encodes each packet for it alone, and batches go packet by packet.
   */
  public static Player unshared(Context context, PlayerOutput output, PacketEncoder encoder, PlayerConfig config,
      PlayerMeters meters) {
    return new Player(context, output, null, encoder, config, meters);
  }

  /** Subscribes to {@code key}; on the player's context. */
  public void play(StreamRegistry registry, StreamKey key) {
    subscription = registry.subscribe(key, this);
    meters.playerStarted();
  }

  /** Ends the play, once: nothing more is written. */
  public void stop() {
    meters.playerStopped();
    queue.close();
    if (subscription != null) {
      subscription.cancel();
    }
  }

  /** Writes what the output takes now; call it when the output drained. */
  public void drain() {
    queue.drain();
  }

  /** Frames dropped so far for this player. */
  public long dropped() {
    return queue.dropped();
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public String viewerProtocol() {
    return protocol;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    meters.joined(startPackets);
    output.joining(startPackets);
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
    output.published();
  }

  @Override
  public void unpublished() {
    // What waits for a slow socket goes first: told of the end, ffmpeg and others stop reading.
    queue.flush();
    output.unpublished();
  }

  @Override
  public boolean full() {
    return output.full();
  }

  @Override
  public void write(MediaPacket packet) {
    write(own == null ? packet.encoded(format) : own.encode(packet.kind(), packet.timestamp(), packet.body()));
  }

  @Override
  public void write(PacketBatch batch) {
    if (own != null) {
      batch.packets().forEach(this::write);
      return;
    }
    write(batch.encoded(format));
  }

  private void write(Buffer media) {
    written += media.length();
    output.write(media);
  }

  @Override
  public long writtenBytes() {
    return written;
  }

  @Override
  public long unackedBytes() {
    return output.unackedBytes();
  }

  @Override
  public void close(String reason) {
    output.close(reason);
  }
}
