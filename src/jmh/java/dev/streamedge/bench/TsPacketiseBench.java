package dev.streamedge.bench;

import dev.streamedge.hls.ts.TsMuxer;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
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
 * MPEG-TS packetisation of one frame for HLS: a video access unit (a 1 Mbit/s P-frame, or a keyframe
 * with SPS/PPS put in front) and an AAC frame, into a reused output buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TsPacketiseBench {

  private static final AvcConfig AVC = new AvcConfig(77, 30, 4,
      List.of(HexFormat.of().parseHex("674d401e")), List.of(HexFormat.of().parseHex("68efbc80")), 640, 360);
  private static final AacConfig AAC = new AacConfig(2, 4, 44100, 2);

  /** A video frame of {@code videoSize} bytes: one slice NAL unit with a 4-byte length. */
  @State(Scope.Thread)
  public static class VideoFrame {
    @Param({"4500", "60000"})
    int videoSize;

    ByteBuf avcc;

    @Setup
    public void setUp() {
      byte[] nal = new byte[videoSize - 4];
      ThreadLocalRandom.current().nextBytes(nal);
      nal[0] = 0x41;
      avcc = Unpooled.buffer(videoSize).writeInt(nal.length).writeBytes(nal);
    }
  }

  private final TsMuxer muxer = new TsMuxer(true, true);
  private final ByteBuf out = Unpooled.directBuffer(128 * 1024);
  private ByteBuf aac;
  private long dts;

  @Setup
  public void setUp() {
    byte[] frame = new byte[300];
    ThreadLocalRandom.current().nextBytes(frame);
    aac = Unpooled.wrappedBuffer(frame);
  }

  @Benchmark
  public ByteBuf video(VideoFrame frame) throws MediaFormatException {
    out.clear();
    dts += 40;
    muxer.writeVideo(out, dts, 80, frame.videoSize > 10_000, frame.avcc, AVC);
    return out;
  }

  @Benchmark
  public ByteBuf audio() throws MediaFormatException {
    out.clear();
    dts += 23;
    muxer.writeAudio(out, dts, aac, AAC);
    return out;
  }
}
