package dev.streamedge.bench;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.media.WireBuffers;
import dev.streamedge.stream.PlayerQueue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.buffer.Buffer;
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
 * The per-player write path of one packet, for 1000 players: each player's {@link PlayerQueue} takes
 * the packet and, its socket not being full, writes the shared encoding to the player's Netty channel
 * (write and flush, as a Vert.x NetSocket write does). The channels are EmbeddedChannels, so this is
 * the Java side only: no Vert.x connection bookkeeping and no system call. The score is per player.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PlayerWriteBench {

  private static final int PLAYERS = 1000;

  private final PlayerQueue[] queues = new PlayerQueue[PLAYERS];
  private final EmbeddedChannel[] channels = new EmbeddedChannel[PLAYERS];
  private MediaPacket packet;

  @Setup
  public void setUp() {
    byte[] body = new byte[4500];
    ThreadLocalRandom.current().nextBytes(body);
    ByteBuf wire = WireBuffers.directForFanOut(body.length + 12);
    wire.writeBytes(body).writeZero(12);
    packet = new MediaPacket(MediaKind.VIDEO, 40, MediaPacket.Role.FRAME, Unpooled.wrappedBuffer(body),
        WireBuffers.wrap(wire), Buffer.buffer(), System.nanoTime());
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
          // A duplicate per socket, as Vert.x writes a slice of the shared buffer.
          channel.writeAndFlush(WireBuffers.unwrap(media.rtmp()).duplicate());
        }

        @Override
        public void close(String reason) {
        }
      }, 8 << 20, TimeUnit.SECONDS.toNanos(3), TimeUnit.SECONDS.toNanos(10));
    }
  }

  @Benchmark
  @OperationsPerInvocation(PLAYERS)
  public void offerToEveryPlayer() {
    for (int i = 0; i < PLAYERS; i++) {
      queues[i].offer(packet);
      // What the socket would have sent: drop it, so the channel never fills.
      channels[i].outboundMessages().clear();
    }
  }
}
