package dev.streamedge.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.hls.ts.TsMuxer;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.media.codec.CodecBytes;
import dev.streamedge.testing.FuzzSeeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated transport streams through the demuxer and the FLV converter: nothing may throw,
 * no buffer may pass its limit, and the output must not depend on how the input is split.
 */
@Tag("unit")
class TsFuzzTest {

  private static final int MAX_PES = 6000;
  private static final int INPUTS = 15_000;
  /** Seeds every run replays besides its own (see {@link FuzzSeeds}). */
  private static final long[] GOLDEN = {};
  private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x07, 0x0f, 0x1b, 0x24, 0x40, 0x47, 0x7f, 0x80,
      0xb7, 0xb8, 0xc0, 0xe0, 0xff};

  /** A stream as the HLS muxer writes it, and how many frames went in. */
  private record Session(byte[] bytes, int videoFrames, int audioFrames) {
  }

  /** Everything that came out, and the counters: equal for equal input however it was split. */
  private record Outcome(List<String> tags, List<Long> counters) {
  }

  @Test
  void randomAndMutatedStreamsNeverThrowStayBoundedAndDoNotDependOnSplitting() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, TsFuzzTest::randomAndMutated);
    }
  }

  @Test
  void unmutatedStreamsConvertCompletely() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, random -> {
        for (int i = 0; i < 30; i++) {
          Session session = session(random);
          Outcome outcome = convert(session.bytes(), random, 1 + random.nextInt(2000));
          long video = outcome.tags().stream().filter(t -> t.startsWith("VIDEO") && t.contains("/01")).count();
          long audio = outcome.tags().stream().filter(t -> t.startsWith("AUDIO") && t.contains("/01")).count();
          // Only video frames above MAX_PES are lost, and counted; when the first keyframe was one of
          // them, so are the frames up to the next keyframe (no sequence header yet).
          long oversize = outcome.counters().get(9);
          long beforeHeader = outcome.counters().get(15);
          assertThat(video + oversize + beforeHeader).as("session %d video frames, counters %s", i,
              outcome.counters()).isEqualTo(session.videoFrames());
          assertThat(oversize > 0 || beforeHeader == 0).isTrue();
          assertThat(outcome.counters().subList(1, 8)).as("session %d faults", i).containsOnly(0L);
          assertThat(audio).as("session %d audio frames", i).isEqualTo(session.audioFrames());
        }
        return null;
      });
    }
  }

  private static Void randomAndMutated(Random random) {
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      sessions.add(session(random));
    }
    int input = 0;
    byte[] bytes = null;
    try {
      for (; input < INPUTS; input++) {
        bytes = random.nextInt(10) == 0 ? randomPackets(random)
            : mutate(sessions.get(random.nextInt(sessions.size())).bytes(), random);
        Outcome split = convert(bytes, random, 1 + random.nextInt(random.nextBoolean() ? 200 : 3000));
        if (input % 10 == 0) {
          assertThat(convert(bytes, random, Integer.MAX_VALUE)).as("same outcome unsplit").isEqualTo(split);
        }
      }
    } catch (Throwable t) {
      throw new AssertionError("input " + input + " of " + (bytes == null ? 0 : bytes.length) + " bytes", t);
    }
    return null;
  }

  private static Outcome convert(byte[] bytes, Random random, int maxPiece) {
    List<String> tags = new ArrayList<>();
    FlvFromTs flv = new FlvFromTs((kind, timestamp, body) -> {
      if (timestamp < 0 || timestamp > 0xFFFF_FFFFL || body.capacity() > MAX_PES + 64) {
        throw new AssertionError("out of bounds: " + kind + " " + timestamp + " " + body);
      }
      tags.add(kind + " " + timestamp + " " + ByteBufUtil.hexDump(body, 0, Math.min(2, body.readableBytes()))
          .replaceFirst("^(..)", "$1/") + " " + Integer.toHexString(body.hashCode()) + "/" + body.readableBytes());
    });
    TsDemuxer demuxer = new TsDemuxer(MAX_PES, frame -> {
      if (frame.data().capacity() > MAX_PES || frame.pts90k() >>> 33 != 0 || frame.dts90k() >>> 33 != 0) {
        throw new AssertionError("out of bounds: " + frame);
      }
      flv.frame(frame);
    });
    int offset = 0;
    while (offset < bytes.length) {
      int n = Math.min(bytes.length - offset, 1 + random.nextInt(maxPiece));
      demuxer.feed(Unpooled.wrappedBuffer(bytes, offset, n));
      if (demuxer.bufferedBytes() > TsDemuxer.PACKET_SIZE + 2L * MAX_PES) {
        throw new AssertionError("holds " + demuxer.bufferedBytes() + " bytes");
      }
      offset += n;
    }
    demuxer.flush();
    return new Outcome(tags, List.of(demuxer.packets(), demuxer.bytesSkipped(), demuxer.transportErrors(),
        demuxer.malformedPackets(), demuxer.packetsIgnored(), demuxer.sectionErrors(), demuxer.continuityErrors(),
        demuxer.duplicatePackets(), demuxer.framesEmitted(), demuxer.pesDroppedOversize(), demuxer.pesDroppedLoss(),
        demuxer.pesCutByLoss(), demuxer.pesDroppedMalformed(), flv.malformed(), flv.unsupportedFrames(),
        flv.videoBeforeSequenceHeader()));
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] bytes = original.clone();
    for (int i = random.nextInt(4); i >= 0; i--) {
      int length = bytes.length;
      int packets = length / TsDemuxer.PACKET_SIZE;
      switch (random.nextInt(7)) {
        case 0 -> {
          if (length > 0) {
            bytes[random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          int at = random.nextInt(length + 1);
          bytes = concat(Arrays.copyOfRange(bytes, 0, at), randomBytes(random, 1 + random.nextInt(200)),
              Arrays.copyOfRange(bytes, at, length));
        }
        case 2 -> {
          int at = random.nextInt(length + 1);
          int end = Math.min(length, at + 1 + random.nextInt(400));
          bytes = concat(Arrays.copyOfRange(bytes, 0, at), Arrays.copyOfRange(bytes, end, length));
        }
        case 3 -> bytes = Arrays.copyOfRange(bytes, 0, random.nextInt(length + 1));
        case 4 -> {
          // A lost or a repeated packet.
          if (packets > 0) {
            int at = random.nextInt(packets) * TsDemuxer.PACKET_SIZE;
            byte[] packet = Arrays.copyOfRange(bytes, at, at + TsDemuxer.PACKET_SIZE);
            bytes = random.nextBoolean()
                ? concat(Arrays.copyOfRange(bytes, 0, at), Arrays.copyOfRange(bytes, at + packet.length, length))
                : concat(Arrays.copyOfRange(bytes, 0, at), packet, Arrays.copyOfRange(bytes, at, length));
          }
        }
        default -> {
          // Header field corruption: an extreme value in a packet's, adaptation field's or PES's header.
          if (packets > 0) {
            int at = random.nextInt(packets) * TsDemuxer.PACKET_SIZE + random.nextInt(24);
            bytes[at] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
          }
        }
      }
    }
    return bytes;
  }

  /** Packets with a sync byte and random PIDs among the session's, and random bodies. */
  private static byte[] randomPackets(Random random) {
    int[] pids = {0x0000, 0x1000, 0x0100, 0x0101, 0x1FFF, random.nextInt(0x2000)};
    ByteBuf out = Unpooled.buffer();
    for (int i = random.nextInt(40); i > 0; i--) {
      byte[] packet = randomBytes(random, TsDemuxer.PACKET_SIZE);
      int pid = pids[random.nextInt(pids.length)];
      packet[0] = 0x47;
      packet[1] = (byte) (packet[1] & 0xE0 | pid >>> 8);
      packet[2] = (byte) pid;
      out.writeBytes(packet);
    }
    return ByteBufUtil.getBytes(out);
  }

  /** Video and/or audio as the HLS muxer writes a segment: tables, then interleaved frames. */
  private static Session session(Random random) {
    try {
      AvcConfig avc = AvcConfig.parse(CodecBytes.buf(CodecBytes.AVC_HIGH_320X240));
      AacConfig aac = new AacConfig(2, random.nextBoolean() ? 3 : 4, random.nextBoolean() ? 48000 : 44100,
          1 + random.nextInt(2));
      aac = new AacConfig(2, aac.sampleRate() == 48000 ? 3 : 4, aac.sampleRate(), aac.channelConfig());
      int kind = random.nextInt(3);
      boolean video = kind != 1;
      boolean audio = kind != 0;
      TsMuxer muxer = new TsMuxer(video, audio);
      ByteBuf out = Unpooled.buffer();
      muxer.writeTables(out);
      // Near the 33-bit wrap now and then: 2^33 / 90 ms.
      long time = random.nextInt(4) == 0 ? (1L << 33) / 90 - 500 : random.nextInt(100_000);
      int videoFrames = 0;
      int audioFrames = 0;
      for (int i = 0, n = 5 + random.nextInt(20); i < n; i++) {
        time += random.nextInt(40);
        if (video && (!audio || random.nextBoolean())) {
          boolean key = videoFrames == 0 || random.nextInt(8) == 0;
          muxer.writeVideo(out, time, random.nextInt(100), key, nal(random, key ? 5 : 1), avc);
          videoFrames++;
        } else {
          muxer.writeAudio(out, time, Unpooled.wrappedBuffer(randomBytes(random, 10 + random.nextInt(400))), aac);
          audioFrames++;
        }
      }
      return new Session(ByteBufUtil.getBytes(out), videoFrames, audioFrames);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** One NAL unit with a four-byte length, its bytes free of start codes and not ending in zero. */
  private static ByteBuf nal(Random random, int type) {
    byte[] body = randomBytes(random, 20 + random.nextInt(random.nextInt(8) == 0 ? 8000 : 1500));
    for (int i = 0; i < body.length; i++) {
      if (body[i] == 0) {
        body[i] = 1;
      }
    }
    body[0] = (byte) (0x60 | type);
    return Unpooled.buffer().writeInt(body.length).writeBytes(body);
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuf out = Unpooled.buffer();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return ByteBufUtil.getBytes(out);
  }
}
