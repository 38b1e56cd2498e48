package dev.streamedge.media.codec;

import static dev.streamedge.media.codec.CodecBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.streamedge.flv.FlvAudioPacket;
import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.media.MediaFormatException;
import dev.streamedge.testing.FuzzSeeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded random and mutated inputs: every parse must return or throw MediaFormatException. A failure
 * names the seed, the iteration and the input, so it can be replayed.
 */
@Tag("unit")
class CodecFuzzTest {

  /**
   * Seeds every run replays besides its own (see {@link FuzzSeeds}): a seed that found a fault goes
   * here with the fix.
   */
  private static final long[] GOLDEN = {0xC0DE_0001L};
  private static final long[] SEEDS = FuzzSeeds.with(GOLDEN);
  private static final int INPUTS_PER_SEED = 100_000;

  private interface Parser {
    void parse(ByteBuf in) throws MediaFormatException;
  }

  @Test
  void avcConfigOnlyEverThrowsProtocolException() {
    List<byte[]> corpus = List.of(bytes(CodecBytes.AVC_MAIN_640X360), bytes(CodecBytes.AVC_HIGH_320X240));
    int parsed = run(corpus, AvcConfig::parse);
    assertThat(parsed).as("inputs that parsed").isGreaterThan(SEEDS.length * INPUTS_PER_SEED / 50);
  }

  @Test
  void aacConfigOnlyEverThrowsProtocolException() {
    List<byte[]> corpus = List.of(bytes(CodecBytes.AAC_LC_44100_STEREO), bytes("1780562210"), bytes("2b1188"));
    int parsed = run(corpus, AacConfig::parse);
    assertThat(parsed).as("inputs that parsed").isGreaterThan(SEEDS.length * INPUTS_PER_SEED / 10);
  }

  @Test
  void flvPacketsAndTheirConfigsOnlyEverThrowProtocolException() {
    List<byte[]> corpus = List.of(
        bytes("1700000000" + CodecBytes.AVC_MAIN_640X360),
        bytes("1701000050 00000002 0910 00000003 65888f"),
        bytes("AF00" + CodecBytes.AAC_LC_44100_STEREO),
        bytes("AF01 DE0200"));
    int parsed = run(corpus, in -> {
      FlvVideoPacket video = FlvVideoPacket.parse(in).orElse(null);
      if (video != null && video.packetType() == FlvVideoPacket.SEQUENCE_HEADER) {
        AvcConfig.parse(video.data());
      }
      FlvAudioPacket audio = FlvAudioPacket.parse(in).orElse(null);
      if (audio != null && audio.packetType() == FlvAudioPacket.SEQUENCE_HEADER) {
        AacConfig.parse(audio.data());
      }
    });
    assertThat(parsed).as("inputs that parsed").isGreaterThan(SEEDS.length * INPUTS_PER_SEED / 10);
  }

  @Test
  void enhancedRtmpHevcAv1AndOpusHeadersOnlyEverThrowProtocolException() {
    List<byte[]> corpus = List.of(
        bytes("9068766331" + "0101600000009000000000003cf000fcfdf8f800000f03200001001840010c01ffff0160000003009000"
            + "0003000003003c959009210001002a42010101600000030090000003000003003ca00a080f16595912930bc05a020000"
            + "03000200000300321022000100064401c073c189"),
        bytes("9061763031" + "81000c000a0b000000043cffbc02f80040"),
        bytes("9168766331000050aa"),
        bytes("904f707573" + "4f707573486561640102380144ac000000ff00"),
        bytes("904f707573" + "4f707573486561640106380144ac000000ff01" + "0402000104020503"));
    int parsed = run(corpus, in -> {
      dev.streamedge.flv.ExVideoPacket video = dev.streamedge.flv.ExVideoPacket.parse(in).orElse(null);
      if (video != null && video.packetType() == dev.streamedge.flv.ExVideoPacket.SEQUENCE_START) {
        if (video.fourCc().equals("hvc1")) {
          HevcConfig.parse(video.data());
        } else {
          Av1Config.parse(video.data());
        }
      } else if (video != null) {
        Av1Config.skipTemporalDelimiter(video.data());
      }
      dev.streamedge.flv.ExAudioPacket audio = dev.streamedge.flv.ExAudioPacket.parse(in).orElse(null);
      if (audio != null && audio.packetType() == dev.streamedge.flv.ExAudioPacket.SEQUENCE_START) {
        dev.streamedge.fmp4.OpusSampleEntry.fromOpusHead(audio.data()).write(Unpooled.buffer());
      } else if (audio != null) {
        dev.streamedge.fmp4.OpusSampleEntry.samples(audio.data());
      }
    });
    assertThat(parsed).as("inputs that parsed").isGreaterThan(SEEDS.length * INPUTS_PER_SEED / 20);
  }

  @Test
  void spsReorderDepthsOnlyEverThrowProtocolExceptionOrGiveAValidDepth() {
    List<byte[]> corpus = List.of(bytes(AvcSpsTest.FULL_VUI), bytes(AvcSpsTest.X264_NAL_HRD),
        bytes(AvcSpsTest.X264_HIGH444_INTRA), bytes(AvcSpsTest.MAIN_NO_RESTRICTION),
        bytes(HevcSpsTest.X265_TWO_SUB_LAYERS), bytes(HevcSpsTest.X265_DEFAULT));
    int parsed = run(corpus, in -> {
      byte[] nal = new byte[in.readableBytes()];
      in.readBytes(nal);
      if (nal.length > 0 && (nal[0] & 0x1F) == 7) {
        assertThat(AvcSps.reorderDepth(nal)).isBetween(AvcSps.UNKNOWN, 16);
      } else {
        assertThat(HevcSps.reorderDepth(nal)).isBetween(0, 15);
      }
    });
    assertThat(parsed).as("inputs that parsed").isGreaterThan(SEEDS.length * INPUTS_PER_SEED / 20);
  }

  /** Returns how many inputs parsed, so a corpus that never gets past the first byte is noticed. */
  static int run(List<byte[]> corpus, Parser parser) {
    int parsed = 0;
    for (long seed : SEEDS) {
      parsed += FuzzSeeds.run(seed, random -> {
        int ok = 0;
        for (int i = 0; i < INPUTS_PER_SEED; i++) {
          byte[] input = random.nextInt(4) == 0 ? randomBytes(random) : mutate(random, corpus);
          try {
            parser.parse(Unpooled.wrappedBuffer(input));
            ok++;
          } catch (MediaFormatException expected) {
            // The only acceptable failure.
          } catch (Throwable t) {
            fail(String.format("input %d %s threw %s", i, HexFormat.of().formatHex(input), t), t);
          }
        }
        return ok;
      });
    }
    return parsed;
  }

  private static byte[] randomBytes(Random random) {
    byte[] input = new byte[random.nextInt(48)];
    random.nextBytes(input);
    if (input.length > 0 && random.nextBoolean()) {
      input[0] = (byte) (random.nextBoolean() ? 0x01 : random.nextBoolean() ? 0x17 : 0xAF);
    }
    return input;
  }

  static byte[] mutate(Random random, List<byte[]> corpus) {
    byte[] input = corpus.get(random.nextInt(corpus.size())).clone();
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations && input.length > 0; m++) {
      int at = random.nextInt(input.length);
      switch (random.nextInt(5)) {
        case 0 -> input[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> input[at] = (byte) (random.nextBoolean() ? 0xFF : 0x00);
        case 2 -> input[at] = (byte) random.nextInt(256);
        case 3 -> input = Arrays.copyOf(input, at);
        default -> {
          byte[] longer = Arrays.copyOf(input, input.length + 1 + random.nextInt(8));
          System.arraycopy(input, at, longer, longer.length - (input.length - at), input.length - at);
          input = longer;
        }
      }
    }
    return input;
  }
}
