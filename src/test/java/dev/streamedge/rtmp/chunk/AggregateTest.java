package dev.streamedge.rtmp.chunk;

import static dev.streamedge.rtmp.chunk.ChunkTestSupport.hex;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.message;
import static dev.streamedge.rtmp.chunk.ChunkTestSupport.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.chunk.ChunkTestSupport.Msg;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class AggregateTest {

  /** Two video tags at 1000 and 1036 ms, each followed by its back pointer (11 + size). */
  private static final byte[] TWO_VIDEO_TAGS = hex(
      "09 000005 0003e8 00 000000 0102030405 00000010"
          + " 09 000003 00040c 00 000000 060708 0000000e");

  private static List<Msg> split(RtmpMessage aggregate) throws ProtocolException {
    return Aggregate.split(aggregate).stream().map(Msg::of).toList();
  }

  @Test
  void splitsTwoVideoTagsRebasedOnTheAggregateTimestamp() throws Exception {
    RtmpMessage aggregate = message(6, MessageType.AGGREGATE, 1, 5000, TWO_VIDEO_TAGS);
    assertThat(split(aggregate)).containsExactly(
        new Msg(6, 9, 1, 5000, "0102030405"),
        new Msg(6, 9, 1, 5036, "060708"));
  }

  @Test
  void aggregatePayloadIsReadByIndexAndSubPayloadsAreCopies() throws Exception {
    ByteBuf payload = Unpooled.buffer().writeBytes(hex("eeee")).writeBytes(TWO_VIDEO_TAGS);
    payload.readerIndex(2);
    List<RtmpMessage> messages =
        Aggregate.split(new RtmpMessage(6, MessageType.AGGREGATE, 1, 0, payload));
    assertThat(payload.readerIndex()).isEqualTo(2);
    payload.setByte(2 + 11, 0x55);
    assertThat(ChunkTestSupport.bytes(messages.get(0).payload())).isEqualTo(hex("0102030405"));
  }

  @Test
  void subMessageStreamIdIsReplacedByTheAggregates() throws Exception {
    byte[] tag = hex("08 000001 000000 00 000007 aa 0000000c");
    assertThat(split(message(4, MessageType.AGGREGATE, 3, 10, tag)))
        .containsExactly(new Msg(4, 8, 3, 10, "aa"));
  }

  @Test
  void timestampExtensionByteIsTheHighByte() throws Exception {
    byte[] tags = hex("08 000001 000000 00 000000 aa 0000000c"
        + " 08 000001 ffffff 01 000000 bb 0000000c");
    assertThat(split(message(4, MessageType.AGGREGATE, 1, 0, tags)))
        .extracting(Msg::timestamp).containsExactly(0L, 0x01FFFFFFL);
  }

  @Test
  void rebasedTimestampsWrapAt2To32() throws Exception {
    byte[] tags = hex("08 000001 000064 00 000000 aa 0000000c"
        + " 08 000001 000084 00 000000 bb 0000000c");
    assertThat(split(message(4, MessageType.AGGREGATE, 1, 0xFFFFFFF0L, tags)))
        .extracting(Msg::timestamp).containsExactly(0xFFFFFFF0L, 0x10L);
  }

  @Test
  void emptyAggregateHasNoSubMessages() throws Exception {
    assertThat(split(message(4, MessageType.AGGREGATE, 1, 0, new byte[0]))).isEmpty();
  }

  @Test
  void zeroLengthSubMessageIsKept() throws Exception {
    assertThat(split(message(4, MessageType.AGGREGATE, 1, 0, hex("12 000000 000000 00 000000 0000000b"))))
        .containsExactly(new Msg(4, 18, 1, 0, ""));
  }

  @Test
  void everyTruncationInsideASubMessageIsRejected() {
    for (int length = 1; length < TWO_VIDEO_TAGS.length; length++) {
      if (length == 20) {
        continue; // exactly the first tag: a valid aggregate of one
      }
      RtmpMessage truncated = message(6, MessageType.AGGREGATE, 1, 0, range(TWO_VIDEO_TAGS, 0, length));
      assertThatThrownBy(() -> Aggregate.split(truncated)).as("length %d", length)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void mismatchedBackPointerIsRejected() {
    byte[] tags = hex("09 000005 0003e8 00 000000 0102030405 00000011");
    assertThatThrownBy(() -> Aggregate.split(message(6, MessageType.AGGREGATE, 1, 0, tags)))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("aggregate back pointer 17 does not match sub-message size 16");
  }

  @Test
  void sizeBeyondThePayloadIsRejected() {
    byte[] tags = hex("09 ffffff 0003e8 00 000000 0102030405 00000010");
    assertThatThrownBy(() -> Aggregate.split(message(6, MessageType.AGGREGATE, 1, 0, tags)))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("aggregate sub-message of 16777215 bytes truncated: 9 bytes left including the back pointer");
  }
}
