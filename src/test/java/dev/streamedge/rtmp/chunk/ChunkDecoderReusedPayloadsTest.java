package dev.streamedge.rtmp.chunk;

import static dev.streamedge.rtmp.chunk.ChunkTestSupport.decodeSplit;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A decoder told to reuse payloads (as the load generator's players are) hands its consumer the same
 * messages as one that allocates a buffer per message, byte for byte, while each chunk stream's next
 * message goes into its last one's buffer; a buffer past the bound is not kept.
 */
@Tag("unit")
class ChunkDecoderReusedPayloadsTest {

  private static final int BIG = 1 << 24;

  /** Audio, video and data messages of random sizes on three chunk streams, chunked at 4096 bytes. */
  private static byte[] stream(Random random, int messages, int maxSize) {
    ChunkEncoder encoder = new ChunkEncoder(128);
    ByteBuf wire = Unpooled.buffer();
    encoder.encode(message(2, 1, 0, 0, new byte[] {0, 0, 0x10, 0}), wire);
    encoder.setChunkSize(4096);
    for (int i = 0; i < messages; i++) {
      int kind = random.nextInt(3);
      byte[] payload = new byte[random.nextInt(maxSize)];
      random.nextBytes(payload);
      encoder.encode(message(4 + kind, kind == 0 ? 8 : kind == 1 ? 9 : 18, 1, 40L * i, payload), wire);
    }
    return ByteBufUtil.getBytes(wire);
  }

  @Test
  void everyMessageIsTheSameAsWithABufferPerMessage() throws Exception {
    Random random = new Random(22);
    byte[] wire = stream(random, 150, 70_000);
    ChunkDecoder reusing = new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    reusing.reusePayloads();

    var expected = decodeSplit(new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS), wire,
        new Random(1), 9000);
    var actual = decodeSplit(reusing, wire, new Random(2), 9000);

    assertThat(actual).hasSize(151).isEqualTo(expected);
  }

  @Test
  void aChunkStreamsNextMessageGoesIntoItsLastOnesBuffer() throws Exception {
    byte[] wire = stream(new Random(5), 60, 20_000);
    ChunkDecoder reusing = new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    reusing.reusePayloads();
    Map<ByteBuf, Boolean> buffers = new IdentityHashMap<>();
    List<RtmpMessage> messages = new ArrayList<>();

    reusing.decode(Unpooled.wrappedBuffer(wire), m -> {
      messages.add(m);
      buffers.put(m.payload(), true);
    });

    // One buffer per chunk stream (Set Chunk Size's own, then audio, video and data): not one per message.
    assertThat(messages).hasSize(61);
    assertThat(buffers).hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void aBufferPastTheBoundIsNotKept() throws Exception {
    ChunkEncoder encoder = new ChunkEncoder(4096);
    ByteBuf wire = Unpooled.buffer();
    encoder.encode(message(2, 1, 0, 0, new byte[] {0, 0, 0x10, 0}), wire);
    encoder.encode(message(6, 9, 1, 0, new byte[IncompleteMessages.MAX_SPARE_BYTES + 1]), wire);
    encoder.encode(message(6, 9, 1, 40, new byte[100]), wire);
    ChunkDecoder reusing = new ChunkDecoder(BIG, BIG, BIG, ChunkDecoder.ALL_CHUNK_STREAMS);
    reusing.reusePayloads();
    List<ByteBuf> payloads = new ArrayList<>();

    reusing.decode(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(wire)), m -> payloads.add(m.payload()));

    assertThat(payloads).hasSize(3);
    assertThat(payloads.get(2)).isNotSameAs(payloads.get(1));
    assertThat(payloads.get(2).capacity()).isLessThanOrEqualTo(IncompleteMessages.MAX_SPARE_BYTES);
  }
}
