package dev.streamedge.bench;

import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtmp.chunk.ChunkEncoder;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Chunk encoding of one media message, as the server does it once per packet for all RTMP players
 * (RtmpWire.encodeMedia): a new direct buffer of the exact size, then fmt-0 chunks of 4096 bytes.
 * Sizes: an AAC frame, an average 1 Mbit/s P-frame, a keyframe.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChunkEncodeBench {

  private static final int CHUNK_SIZE = 4096;

  @Param({"300", "4500", "60000"})
  int size;

  private RtmpMessage message;
  private ByteBuf reused;

  @Setup
  public void setUp() {
    byte[] payload = new byte[size];
    ThreadLocalRandom.current().nextBytes(payload);
    message = new RtmpMessage(7, MessageType.VIDEO, 1, 123_456, Unpooled.wrappedBuffer(payload));
    reused = Unpooled.directBuffer(ChunkEncoder.standaloneLength(message, CHUNK_SIZE));
  }

  /** What the server does per packet: allocate the fan-out buffer and encode into it. */
  @Benchmark
  public ByteBuf encodeForFanOut() {
    ByteBuf out = WireBuffers.directForFanOut(ChunkEncoder.standaloneLength(message, CHUNK_SIZE));
    ChunkEncoder.encodeStandalone(message, CHUNK_SIZE, out);
    return out;
  }

  /** The encoding alone, into a buffer that is reused: the difference to the above is the allocation. */
  @Benchmark
  public ByteBuf encodeIntoReusedBuffer() {
    reused.clear();
    ChunkEncoder.encodeStandalone(message, CHUNK_SIZE, reused);
    return reused;
  }
}
