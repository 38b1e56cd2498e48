package dev.streamedge.bench;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.WireFormat;
import dev.streamedge.media.WireFormats;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.stream.PacketBatch;
import dev.streamedge.stream.PlayerQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-player write path, for 1000 players, as the server runs it: each player's
 * {@link PlayerQueue} takes the packet and, its socket not being full, writes a view of the shared
 * encoding in the player's wire format (found by the format's index) into the player's Netty channel
 * without a flush; one flush per player follows, as at the end of an event-loop turn. The channels are EmbeddedChannels, so this is the Java side only: no
 * system call. Scores are per player.
 * <ul>
 *   <li>{@code offerToEveryPlayer}: one 4.5 KB video packet ({@code player.merge-write} 0).
 *   <li>{@code offerBatchToEveryPlayer}: the 7 packets of 100 ms of a 1 Mbit/s stream (3 video, 4 audio)
 *       as one batch, joined once for all players ({@code player.merge-write} 100ms).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PlayerWriteBench {

  private static final int PLAYERS = 1000;

  private final PlayerQueue[] queues = new PlayerQueue[PLAYERS];
  private final EmbeddedChannel[] channels = new EmbeddedChannel[PLAYERS];
  private final WireFormats formats = new WireFormats();
  private WireFormat format;
  private MediaPacket packet;
  private List<MediaPacket> batchPackets;

  @Setup
  public void setUp() {
    // Two formats, as a node has, so the players' one is found by its index; it stands in for RTMP chunks:
    // the body and 12 bytes of header in a direct buffer.
    formats.register("flv", (kind, timestamp, body) -> Buffer.buffer());
    format = formats.register("rtmp", (kind, timestamp, body) -> {
      ByteBuf wire = WireBuffers.directForFanOut(body.readableBytes() + 12);
      wire.writeBytes(body, body.readerIndex(), body.readableBytes()).writeZero(12);
      return WireBuffers.wrap(wire);
    });
    packet = packet(MediaKind.VIDEO, 4500);
    batchPackets = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      batchPackets.add(i % 2 == 0 ? packet(MediaKind.AUDIO, 300) : packet(MediaKind.VIDEO, 4500));
    }
    for (int i = 0; i < PLAYERS; i++) {
      EmbeddedChannel channel = new EmbeddedChannel();
      channels[i] = channel;
      queues[i] = new PlayerQueue(new PlayerQueue.Output() {
        @Override
        public boolean full() {
          return !channel.isWritable();
        }

        @Override
        public void write(MediaPacket media) {
          channel.write(WireBuffers.unwrap(media.encoded(format)), channel.voidPromise());
        }

        @Override
        public void write(PacketBatch batch) {
          channel.write(WireBuffers.unwrap(batch.encoded(format)), channel.voidPromise());
        }

        @Override
        public long writtenBytes() {
          return 0;
        }

        @Override
        public long unackedBytes() {
          return 0;
        }

        @Override
        public void close(String reason) {
        }
      }, 8 << 20, TimeUnit.SECONDS.toNanos(3), TimeUnit.SECONDS.toNanos(10));
    }
  }

  private MediaPacket packet(MediaKind kind, int size) {
    byte[] bytes = new byte[size];
    ThreadLocalRandom.current().nextBytes(bytes);
    ByteBuf body = Unpooled.wrappedBuffer(bytes);
    return new MediaPacket(kind, 40, MediaPacket.Role.FRAME, body, formats.encode(kind, 40, body), System.nanoTime());
  }

  @Benchmark
  @OperationsPerInvocation(PLAYERS)
  public void offerToEveryPlayer() {
    for (int i = 0; i < PLAYERS; i++) {
      queues[i].offer(packet);
      flushAndDrop(channels[i]);
    }
  }

  @Benchmark
  @OperationsPerInvocation(PLAYERS)
  public void offerBatchToEveryPlayer() {
    PacketBatch batch = new PacketBatch(batchPackets);
    for (int i = 0; i < PLAYERS; i++) {
      queues[i].offer(batch, 0);
      flushAndDrop(channels[i]);
    }
  }

  /** What the socket would have sent: flushed, then dropped, so the channel never fills. */
  private static void flushAndDrop(EmbeddedChannel channel) {
    channel.flush();
    channel.outboundMessages().clear();
  }
}
