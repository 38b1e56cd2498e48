package dev.streamedge.rtmp.chunk;

import static dev.streamedge.rtmp.chunk.ChunkTestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A decoder that threw stays broken: whatever comes next is refused with a ProtocolException and yields
 * no message, so a caller that goes on feeding it cannot read a stream it has lost its place in. Found
 * by ChunkCoverageFuzzTest (input {@code 0a ee}, then the five bytes below).
 */
@Tag("unit")
class ChunkDecoderAfterErrorTest {

  @Test
  void afterAnErrorFurtherInputIsRefusedAndConsumed() {
    ChunkDecoder decoder = new ChunkDecoder(65536, 2048, 4096, 16);
    List<RtmpMessage> out = new ArrayList<>();
    // fmt 3 on chunk stream 46, which no type 0 chunk started.
    assertThatThrownBy(() -> decoder.decode(Unpooled.wrappedBuffer(hex("ee")), out::add))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("chunk type 3 on chunk stream 46 before any type 0 chunk");
    // The start of a valid type 0 chunk on chunk stream 67: a fresh decoder would wait for the rest.
    ByteBuf more = Unpooled.wrappedBuffer(hex("00 03 00 00 00"));
    assertThatThrownBy(() -> decoder.decode(more, out::add))
        .isInstanceOf(ProtocolException.class)
        .hasMessage("chunk stream broken earlier: chunk type 3 on chunk stream 46 before any type 0 chunk");
    assertThat(more.isReadable()).isFalse();
    assertThat(out).isEmpty();
  }

  @Test
  void afterAnErrorAWholeValidMessageIsNotEmitted() {
    ChunkDecoder decoder = new ChunkDecoder(65536, 2048, 4096, 16);
    List<RtmpMessage> out = new ArrayList<>();
    // A 4097-byte message header over max-message-size 2048.
    assertThatThrownBy(() -> decoder.decode(Unpooled.wrappedBuffer(hex("03 000000 001001 09 00000000")), out::add))
        .isInstanceOf(ProtocolException.class);
    // A message header and payload: a decoder still at the header it refused would read a 1-byte audio message.
    assertThatThrownBy(() -> decoder.decode(Unpooled.wrappedBuffer(hex("000000 000001 08 01000000 af")), out::add))
        .isInstanceOf(ProtocolException.class);
    assertThat(out).isEmpty();
  }
}
