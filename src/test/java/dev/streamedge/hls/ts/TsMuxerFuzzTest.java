package dev.streamedge.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.testing.FuzzSeeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random access units in every NAL length size: the muxer either writes whole TS packets or throws
 * MediaFormatException and writes nothing.
 */
@Tag("unit")
class TsMuxerFuzzTest {

  /**
   * Seeds every run replays besides its own (see {@link FuzzSeeds}): a seed that found a fault goes
   * here with the fix.
   */
  private static final long[] GOLDEN = {};
  private static final int INPUTS = 100_000;

  @Test
  void randomAccessUnitsGiveWholePacketsOrProtocolException() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      int written = FuzzSeeds.run(seed, TsMuxerFuzzTest::muxRandomAccessUnits);
      assertThat(written).as(FuzzSeeds.describe(seed)).isGreaterThan(INPUTS / 10);
    }
  }

  /** Returns how many access units the muxer wrote, so that a generator that only makes junk is noticed. */
  private static int muxRandomAccessUnits(Random random) {
    TsMuxer muxer = new TsMuxer(true, true);
    ByteBuf out = Unpooled.buffer();
    int written = 0;
    for (int i = 0; i < INPUTS; i++) {
      int lengthSize = new int[] {1, 2, 4}[random.nextInt(3)];
      AvcConfig config = new AvcConfig(77, 30, lengthSize, List.of(new byte[] {0x67}), List.of(new byte[] {0x68}), 16, 16);
      byte[] input = accessUnit(random, lengthSize);
      out.clear();
      try {
        muxer.writeVideo(out, random.nextInt(), random.nextInt(2000) - 1000, random.nextBoolean(),
            Unpooled.wrappedBuffer(input), config);
        assertThat(out.readableBytes() % TsMuxer.PACKET_SIZE).isZero();
        written++;
      } catch (MediaFormatException expected) {
        assertThat(out.readableBytes()).isZero();
      } catch (Throwable t) {
        fail(String.format("input %d %s threw %s", i, HexFormat.of().formatHex(input), t), t);
      }
    }
    return written;
  }

  /** Mostly well-formed NAL units with a broken length now and then. */
  private static byte[] accessUnit(Random random, int lengthSize) {
    ByteBuf unit = Unpooled.buffer();
    int nals = random.nextInt(4);
    for (int n = 0; n < nals; n++) {
      int length = random.nextInt(random.nextBoolean() ? 8 : 400);
      long declared = random.nextInt(10) == 0 ? random.nextInt(1 << (8 * Math.min(lengthSize, 3))) : length;
      for (int b = lengthSize - 1; b >= 0; b--) {
        unit.writeByte((int) (declared >>> (8 * b)));
      }
      byte[] nal = new byte[length];
      random.nextBytes(nal);
      unit.writeBytes(nal);
    }
    if (random.nextInt(10) == 0) {
      unit.writeZero(1 + random.nextInt(lengthSize));
    }
    return ByteBufUtil.getBytes(unit);
  }
}
