package dev.streamedge.rtmp.chunk;

import static dev.streamedge.rtmp.chunk.ChunkTestSupport.concat;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.counting;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a decoder tells about the messages it has started and not completed: the heap their buffers
 * take (which follows the bytes that arrived, not the lengths headers announce) and when the oldest
 * one started; and message limits changed between messages, as a server does when a client publishes.
 */
@Tag("unit")
class ChunkDecoderIncompleteMessagesTest {

  private static final int BIG = 1 << 24;

  private final List<RtmpMessage> out = new ArrayList<>();

  private static byte[] type0(int csid, int length, byte[] payload) {
    return concat(hex(String.format("%02x 000000 %06x 09 01000000", csid, length)), payload);
  }

  private void decode(ChunkDecoder decoder, byte[] input) throws ProtocolException {
    decoder.decode(Unpooled.wrappedBuffer(input), out::add);
  }

  @Test
  void aHeaderAloneTakesNoHeapHoweverLongTheMessageItAnnounces() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    // Set Chunk Size 1 MiB, then the header of a 16 MiB message.
    decode(decoder, hex("02 000000 000004 01 00000000 00100000"));
    decode(decoder, type0(4, 0xFFFFFF, new byte[0]));

    assertThat(decoder.bufferedBytes()).isZero();
    assertThat(decoder.hasIncompleteMessage()).isTrue();
    // The per-connection reservation still counts the whole announced chunk.
    assertThat(decoder.incompleteBytes()).isEqualTo(0x100000);
  }

  @Test
  void bufferedBytesFollowTheArrivedBytesAndReturnToZeroWhenTheMessageCompletes() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    decode(decoder, type0(4, 1000, counting(100, 0)));
    assertThat(decoder.bufferedBytes()).isEqualTo(100);

    // More of the first chunk, then the chunks up to 1000 bytes: the buffer grows, at most to the length.
    decode(decoder, counting(28, 100));
    assertThat(decoder.bufferedBytes()).isBetween(128L, 256L);
    for (int sent = 128; sent < 1000; sent += 128) {
      decode(decoder, concat(hex("c4"), counting(Math.min(128, 1000 - sent), sent)));
    }
    assertThat(out).hasSize(1);
    assertThat(out.get(0).payload().readableBytes()).isEqualTo(1000);
    assertThat(decoder.bufferedBytes()).isZero();
    assertThat(decoder.hasIncompleteMessage()).isFalse();
  }

  @Test
  void anAbortedMessageReleasesItsBuffer() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    decode(decoder, type0(4, 1000, counting(128, 0)));
    assertThat(decoder.bufferedBytes()).isEqualTo(128);

    decode(decoder, hex("02 000000 000004 02 00000000 00000004"));

    assertThat(decoder.bufferedBytes()).isZero();
    assertThat(decoder.hasIncompleteMessage()).isFalse();
  }

  @Test
  void theOldestIncompleteMessageIsTheFirstStartedOfThoseStillIncompleteWhateverCompletesFirst() throws Exception {
    ChunkDecoder decoder = new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    decode(decoder, type0(4, 200, counting(128, 0)));
    long first = decoder.oldestIncompleteNanos();
    Thread.sleep(2);
    decode(decoder, type0(5, 200, counting(128, 0)));
    assertThat(decoder.oldestIncompleteNanos()).isEqualTo(first);
    Thread.sleep(2);
    decode(decoder, type0(6, 200, counting(128, 0)));

    // The middle one completes: the first is still the oldest.
    decode(decoder, concat(hex("c5"), counting(72, 128)));
    assertThat(decoder.oldestIncompleteNanos()).isEqualTo(first);

    // The first completes: the third, started last, is the only one left.
    decode(decoder, concat(hex("c4"), counting(72, 128)));
    assertThat(decoder.oldestIncompleteNanos()).isGreaterThan(first);
    assertThat(decoder.hasIncompleteMessage()).isTrue();

    decode(decoder, concat(hex("c6"), counting(72, 128)));
    assertThat(decoder.hasIncompleteMessage()).isFalse();
    assertThat(out).hasSize(3);
  }

  @Test
  void aMessageLimitChangedBetweenMessagesAppliesToTheNextHeaderAndNamesItself() throws Exception {
    ChunkDecoder decoder = limited(100);
    // Set Chunk Size 4096, so that the 1000-byte message below is one chunk.
    decode(decoder, hex("02 000000 000004 01 00000000 00001000"));
    decode(decoder, type0(4, 100, counting(100, 0)));
    assertThat(out).hasSize(2);
    assertThatThrownBy(() -> decode(limited(100), type0(4, 101, new byte[0])))
        .isInstanceOfSatisfying(ProtocolException.class,
            e -> assertThat(e.kind()).isEqualTo(ProtocolException.Kind.MESSAGE_TOO_LONG))
        .hasMessage("message length 101 exceeds max-message-size-before-publish 100");

    decoder.limitMessages("max-message-size", 1000, 2000);
    decode(decoder, type0(4, 1000, counting(1000, 0)));
    assertThat(out).hasSize(3);
  }

  /** A decoder limited as a server limits a connection before it publishes. */
  private static ChunkDecoder limited(int maxMessageSize) {
    ChunkDecoder decoder = new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    decoder.limitMessages("max-message-size-before-publish", maxMessageSize, 2 * maxMessageSize);
    return decoder;
  }
}
