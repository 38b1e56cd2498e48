package dev.streamedge.rtmp.chunk;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the chunk decoder (docs/fuzzing.md). The first input byte sets how the
 * rest is split across decode calls; the rest is the chunk stream. The decoder may only return or
 * throw {@link ProtocolException}, must keep within its limits at every step, must give the same
 * messages and the same error however the input is split, and after an error must refuse anything
 * more with a ProtocolException.
 */
@Tag("fuzz")
class ChunkCoverageFuzzTest {

  private static final int MAX_CHUNK_SIZE = 65536;
  private static final int MAX_MESSAGE_SIZE = 2048;
  private static final int MAX_INCOMPLETE_BYTES = 4096;
  private static final int MAX_CHUNK_STREAMS = 16;

  @FuzzTest(maxDuration = "40s", maxExecutions = 300_000)
  void decoderReturnsOrThrowsProtocolExceptionWithinItsLimits(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int piece = 1 + (input[0] & 0xFF);
    Outcome whole = decode(input, Integer.MAX_VALUE);
    Outcome split = decode(input, piece);
    if (!whole.equals(split)) {
      throw new AssertionError("split into pieces of " + piece + " bytes: " + split + ", whole: " + whole);
    }
  }

  /** What a decode produced: how many messages, a hash of them in order, and the error that ended it. */
  private record Outcome(int messages, long hash, String error) {
  }

  /** Counts and hashes the messages of one decode; plain fields rather than a list, as this runs per message. */
  private static final class Messages implements Consumer<RtmpMessage> {
    private int count;
    private long hash = 17;

    @Override
    public void accept(RtmpMessage m) {
      count++;
      hash = 31 * hash + check(m);
    }
  }

  private static Outcome decode(byte[] input, int piece) {
    ChunkDecoder decoder = new ChunkDecoder(MAX_CHUNK_SIZE, MAX_MESSAGE_SIZE, MAX_INCOMPLETE_BYTES, MAX_CHUNK_STREAMS);
    Messages messages = new Messages();
    // One buffer over the whole input, its writer index moved piece by piece: no allocation per piece.
    ByteBuf in = Unpooled.wrappedBuffer(input).readerIndex(1).writerIndex(1);
    int offset = 1;
    while (offset < input.length) {
      int n = Math.min(piece, input.length - offset);
      in.writerIndex(offset + n);
      try {
        decoder.decode(in, messages);
      } catch (ProtocolException e) {
        refusesMore(decoder, input, offset + n);
        return new Outcome(messages.count, messages.hash, e.getMessage());
      }
      if (in.isReadable()) {
        throw new AssertionError("decoder left " + in.readableBytes() + " bytes unread");
      }
      offset += n;
      withinLimits(decoder);
    }
    return new Outcome(messages.count, messages.hash, null);
  }

  private static void withinLimits(ChunkDecoder decoder) {
    if (decoder.incompleteBytes() > MAX_INCOMPLETE_BYTES || decoder.incompleteBytes() < 0) {
      throw new AssertionError("incomplete bytes " + decoder.incompleteBytes());
    }
    // Buffers grow by doubling from what arrived, so they hold at most twice the counted bytes.
    if (decoder.bufferedBytes() > 2L * MAX_INCOMPLETE_BYTES || decoder.bufferedBytes() < 0) {
      throw new AssertionError("buffered bytes " + decoder.bufferedBytes());
    }
    if (decoder.hasIncompleteMessage() != decoder.incompleteBytes() > 0) {
      throw new AssertionError("incomplete bytes " + decoder.incompleteBytes() + " but an incomplete message: "
          + decoder.hasIncompleteMessage());
    }
  }

  /** After an error, whatever comes next, the decoder answers with a ProtocolException and emits nothing. */
  private static void refusesMore(ChunkDecoder decoder, byte[] input, int from) {
    byte[] more = from < input.length ? input : new byte[] {0, 0x03, 0, 0, 0};
    int start = from < input.length ? from : 0;
    try {
      decoder.decode(Unpooled.wrappedBuffer(more, start, more.length - start), m -> {
        throw new AssertionError("message after an error: " + m);
      });
    } catch (ProtocolException expected) {
      return;
    }
    throw new AssertionError("decoder accepted input after an error");
  }

  /** Limits hold for every message emitted; aggregates split or throw ProtocolException. */
  private static long check(RtmpMessage m) {
    if (m.payload().capacity() > MAX_MESSAGE_SIZE || m.length() > MAX_MESSAGE_SIZE
        || m.timestamp() < 0 || m.timestamp() > 0xFFFFFFFFL
        || m.chunkStreamId() < 2 || m.chunkStreamId() > ChunkFormat.MAX_CHUNK_STREAM_ID) {
      throw new AssertionError("out of bounds: " + m);
    }
    if (m.typeId() == MessageType.AGGREGATE) {
      try {
        for (RtmpMessage sub : Aggregate.split(m)) {
          if (sub.length() > m.length() || sub.timestamp() < 0 || sub.timestamp() > 0xFFFFFFFFL) {
            throw new AssertionError("aggregate part out of bounds: " + sub);
          }
        }
      } catch (ProtocolException expected) {
        // the only failure allowed
      }
    }
    return ((((long) m.chunkStreamId() * 31 + m.typeId()) * 31 + m.messageStreamId()) * 31 + m.timestamp()) * 31
        + m.payload().hashCode();
  }
}
