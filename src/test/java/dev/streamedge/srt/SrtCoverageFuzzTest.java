package dev.streamedge.srt;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.streamedge.stream.StreamNames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of what reaches the SRT port (docs/fuzzing.md): the input is one datagram.
 * {@link SrtPacket#decode} returns a packet or throws {@link SrtFormatException}, never anything else, and
 * leaves the datagram's indexes where they were; a handshake it reads writes out as bytes that read back to
 * the same handshake; key material it carries reads or is refused with an SrtFormatException; a stream id it carries is read by {@link StreamIdRequest#parse} into a valid app and
 * name, or refused with the IllegalArgumentException that says why.
 */
@Tag("fuzz")
class SrtCoverageFuzzTest {

  @FuzzTest(maxDuration = "30s", maxExecutions = 150_000)
  void datagramsDecodeOrAreRefusedAndHandshakesRoundTrip(byte[] input) throws SrtFormatException {
    ByteBuf datagram = Unpooled.wrappedBuffer(input);
    SrtPacket packet;
    try {
      packet = SrtPacket.decode(datagram);
    } catch (SrtFormatException e) {
      return;
    } finally {
      if (datagram.readerIndex() != 0 || datagram.writerIndex() != input.length) {
        throw new AssertionError("decode moved the datagram's indexes");
      }
    }
    if (packet instanceof Handshake handshake) {
      ByteBuf out = Unpooled.buffer();
      handshake.encodeTo(out);
      SrtPacket again = SrtPacket.decode(out);
      if (!handshake.equals(again)) {
        throw new AssertionError("a handshake that does not read back: " + handshake + " then " + again);
      }
      Optional<HandshakeExtension.KmReq> keys = handshake.extension(HandshakeExtension.KmReq.class);
      if (keys.isPresent()) {
        try {
          KeyMaterial.parse(keys.get().content().toArray());
        } catch (SrtFormatException e) {
          // Refused as it should be: a KMREQ that is no key material.
        }
      }
      handshake.extension(HandshakeExtension.StreamId.class).ifPresent(id -> {
        try {
          StreamIdRequest request = StreamIdRequest.parse(id.value(), "live");
          if (!StreamNames.valid(request.app()) || !StreamNames.valid(request.name())) {
            throw new AssertionError("stream id " + id.value() + " read as " + request);
          }
        } catch (IllegalArgumentException e) {
          if (e.getMessage() == null || e.getMessage().isEmpty()) {
            throw new AssertionError("a refusal without a reason", e);
          }
        }
      });
    }
  }
}
