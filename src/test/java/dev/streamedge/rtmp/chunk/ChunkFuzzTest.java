package dev.streamedge.rtmp.chunk;

import static dev.streamedge.rtmp.chunk.ChunkTestSupport.hex;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.chunk.ChunkTestSupport.Msg;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import dev.streamedge.testing.FuzzSeeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated chunk streams: the decoder may only return normally or throw
 * {@link ProtocolException}, must stay within its limits, and must not depend on how input is split.
 */
@Tag("unit")
class ChunkFuzzTest {

  private static final int MAX_CHUNK_SIZE = 65536;
  private static final int MAX_MESSAGE_SIZE = 64 * 1024;
  private static final int MAX_INCOMPLETE_BYTES = 32 * 1024;
  private static final int INPUTS = 300_000;
  /**
   * Seeds every run replays besides its own (see {@link FuzzSeeds}): a seed that found a fault goes
   * here with the fix.
   */
  private static final long[] GOLDEN = {};
  private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x02, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0,
      0xc3, 0xfe, 0xff};

  /** A chunk stream as a client would send it, with where each message's first header starts. */
  private record Session(byte[] bytes, int[] messageStarts) {
  }

  @Test
  void decoderOnlyReturnsOrThrowsProtocolExceptionOnRandomAndMutatedInput() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, ChunkFuzzTest::decodeRandomAndMutated);
    }
  }

  private static Void decodeRandomAndMutated(Random random) {
    List<Session> sessions = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      sessions.add(session(random));
    }
    int input = 0;
    byte[] bytes = null;
    try {
      for (; input < INPUTS; input++) {
        bytes = random.nextInt(10) == 0
            ? randomBytes(random, random.nextInt(300))
            : mutate(sessions.get(random.nextInt(sessions.size())), random);
        Outcome split = decode(bytes, random, 1 + random.nextInt(random.nextBoolean() ? 16 : 1024));
        if (input % 25 == 0) {
          assertThat(decode(bytes, random, Integer.MAX_VALUE)).as("same outcome unsplit")
              .isEqualTo(split);
        }
      }
    } catch (Throwable t) {
      throw new AssertionError("input " + input + ": " + (bytes == null ? "" : ChunkTestSupport.toHex(bytes)), t);
    }
    return null;
  }

  @Test
  void unmutatedSessionsDecodeCompletely() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, random -> {
        for (int i = 0; i < 50; i++) {
          Session session = session(random);
          Outcome outcome = decode(session.bytes(), random, 1 + random.nextInt(100));
          assertThat(outcome.error()).as("session %d", i).isNull();
          assertThat(outcome.messages()).as("session %d", i).hasSize(session.messageStarts().length);
        }
        return null;
      });
    }
  }

  @Test
  void aggregateSplitOnlyReturnsOrThrowsProtocolException() {
    for (long seed : FuzzSeeds.with(GOLDEN)) {
      FuzzSeeds.run(seed, ChunkFuzzTest::splitRandomAggregates);
    }
  }

  private static Void splitRandomAggregates(Random random) {
    byte[] valid = hex("09 000005 0003e8 00 000000 0102030405 00000010"
        + " 08 000003 00040c 00 000000 060708 0000000e"
        + " 12 000000 ffffff ff 000001 0000000b");
    int input = 0;
    byte[] bytes = null;
    try {
      for (; input < 100_000; input++) {
        if (random.nextBoolean()) {
          bytes = randomBytes(random, random.nextInt(64));
        } else {
          bytes = valid.clone();
          for (int i = random.nextInt(3); i >= 0; i--) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
          }
          bytes = ChunkTestSupport.range(bytes, 0, random.nextInt(bytes.length + 1));
        }
        RtmpMessage aggregate = message(3, MessageType.AGGREGATE, 1,
            random.nextLong() & 0xFFFFFFFFL, bytes);
        try {
          for (RtmpMessage sub : Aggregate.split(aggregate)) {
            assertThat(sub.timestamp()).isBetween(0L, 0xFFFFFFFFL);
            assertThat(sub.length()).isLessThanOrEqualTo(bytes.length);
          }
        } catch (ProtocolException expected) {
          // the only failure allowed
        }
      }
    } catch (Throwable t) {
      throw new AssertionError("input " + input + ": " + (bytes == null ? "" : ChunkTestSupport.toHex(bytes)), t);
    }
    return null;
  }

  /** What decoding produced: the messages, then the exception that ended it, if any. */
  private record Outcome(List<Msg> messages, String error) {
  }

  private static Outcome decode(byte[] bytes, Random random, int maxPiece) {
    ChunkDecoder decoder = new ChunkDecoder(MAX_CHUNK_SIZE, MAX_MESSAGE_SIZE, MAX_INCOMPLETE_BYTES, ChunkDecoder.ALL_CHUNK_STREAMS);
    List<Msg> messages = new ArrayList<>();
    int offset = 0;
    try {
      while (offset < bytes.length) {
        int n = Math.min(bytes.length - offset, 1 + random.nextInt(maxPiece));
        ByteBuf in = Unpooled.wrappedBuffer(bytes, offset, n);
        decoder.decode(in, m -> messages.add(check(m)));
        if (in.isReadable()) {
          throw new AssertionError("decoder left " + in.readableBytes() + " bytes unread");
        }
        offset += n;
      }
    } catch (ProtocolException e) {
      return new Outcome(messages, e.getMessage());
    }
    return new Outcome(messages, null);
  }

  /**
   * Limits hold for everything emitted; memory is bounded because each buffer is. Plain checks
   * rather than AssertJ: this runs for millions of messages.
   */
  private static Msg check(RtmpMessage m) {
    if (m.payload().capacity() > MAX_MESSAGE_SIZE || m.timestamp() < 0
        || m.timestamp() > 0xFFFFFFFFL || m.chunkStreamId() < 2
        || m.chunkStreamId() > ChunkFormat.MAX_CHUNK_STREAM_ID) {
      throw new AssertionError("out of bounds: " + m);
    }
    if (m.typeId() == MessageType.AGGREGATE) {
      try {
        Aggregate.split(m);
      } catch (ProtocolException expected) {
        // the only failure allowed
      }
    }
    return new Msg(m.chunkStreamId(), m.typeId(), m.messageStreamId(), m.timestamp(),
        Integer.toHexString(m.payload().hashCode()) + "/" + m.length());
  }

  private static byte[] mutate(Session session, Random random) {
    byte[] bytes = session.bytes().clone();
    for (int i = random.nextInt(4); i >= 0; i--) {
      int length = bytes.length;
      switch (random.nextInt(6)) {
        case 0 -> {
          if (length > 0) {
            bytes[random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> {
          int at = random.nextInt(length + 1);
          byte[] inserted = randomBytes(random, 1 + random.nextInt(16));
          bytes = concatAt(bytes, at, inserted, at);
        }
        case 2 -> {
          int at = random.nextInt(length + 1);
          int end = Math.min(length, at + 1 + random.nextInt(64));
          bytes = concatAt(bytes, at, new byte[0], end);
        }
        case 3 -> bytes = ChunkTestSupport.range(bytes, 0, random.nextInt(length + 1));
        default -> {
          // Header field corruption: an extreme value somewhere in a message's first chunk header.
          int start = session.messageStarts()[random.nextInt(session.messageStarts().length)];
          int at = start + random.nextInt(16);
          if (at < length) {
            bytes[at] = (byte) INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
          }
        }
      }
    }
    return bytes;
  }

  private static byte[] concatAt(byte[] bytes, int cut, byte[] inserted, int resume) {
    return ChunkTestSupport.concat(ChunkTestSupport.range(bytes, 0, cut), inserted,
        ChunkTestSupport.range(bytes, resume, bytes.length));
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  /**
   * A publisher-like session: connect, set chunk size, metadata, then audio, video and aggregate
   * messages with some extended timestamps, through either encoder.
   */
  private static Session session(Random random) {
    ByteBuf wire = Unpooled.buffer();
    List<Integer> starts = new ArrayList<>();
    ChunkEncoder stateful = new ChunkEncoder(128);
    boolean standalone = random.nextBoolean();
    int[] chunkSize = {128};
    java.util.function.Consumer<RtmpMessage> send = m -> {
      starts.add(wire.writerIndex());
      if (standalone) {
        ChunkEncoder.encodeStandalone(m, chunkSize[0], wire);
      } else {
        stateful.encode(m, wire);
      }
    };
    send.accept(message(3, MessageType.COMMAND_AMF0, 0, 0, randomBytes(random, 134)));
    int newChunkSize = random.nextBoolean() ? 4096 : 1 + random.nextInt(200);
    send.accept(message(2, MessageType.SET_CHUNK_SIZE, 0, 0, hex(String.format("%08x", newChunkSize))));
    chunkSize[0] = newChunkSize;
    stateful.setChunkSize(newChunkSize);
    send.accept(message(4, MessageType.DATA_AMF0, 1, 0, randomBytes(random, 200 + random.nextInt(200))));
    long time = random.nextInt(4) == 0 ? 0xFFFFFF - 50 : random.nextInt(100_000);
    for (int i = 0, n = 4 + random.nextInt(12); i < n; i++) {
      time = (time + random.nextInt(40)) & 0xFFFFFFFFL;
      switch (random.nextInt(5)) {
        case 0, 1 -> send.accept(message(4, MessageType.AUDIO, 1, time, randomBytes(random, 20 + random.nextInt(20))));
        case 2, 3 -> send.accept(message(6, MessageType.VIDEO, 1, time, randomBytes(random, 50 + random.nextInt(700))));
        default -> send.accept(message(6, MessageType.AGGREGATE, 1, time,
            hex("09 000003 0003e8 00 000000 010203 0000000e 08 000001 0003f0 00 000000 04 0000000c")));
      }
    }
    return new Session(ChunkTestSupport.bytes(wire), starts.stream().mapToInt(Integer::intValue).toArray());
  }
}
