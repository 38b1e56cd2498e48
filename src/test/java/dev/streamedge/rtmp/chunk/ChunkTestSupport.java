package dev.streamedge.rtmp.chunk;

import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.message.RtmpMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Shared helpers for the chunk codec tests. */
final class ChunkTestSupport {

  private ChunkTestSupport() {
  }

  /** A decoded message with its payload as hex, so results compare by value. */
  record Msg(int chunkStreamId, int typeId, int messageStreamId, long timestamp, String payload) {

    static Msg of(RtmpMessage message) {
      return new Msg(message.chunkStreamId(), message.typeId(), message.messageStreamId(),
          message.timestamp(), ByteBufUtil.hexDump(message.payload()));
    }

    RtmpMessage toMessage() {
      return new RtmpMessage(chunkStreamId, typeId, messageStreamId, timestamp,
          Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(payload)));
    }
  }

  /** Parses hex with any whitespace between bytes. */
  static byte[] hex(String hex) {
    return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s+", ""));
  }

  /** Concatenates byte arrays. */
  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** Bytes 0, 1, 2, ... (mod 256) starting at {@code first}. */
  static byte[] counting(int length, int first) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (first + i);
    }
    return bytes;
  }

  static byte[] range(byte[] bytes, int from, int to) {
    return java.util.Arrays.copyOfRange(bytes, from, to);
  }

  static String toHex(byte[] bytes) {
    return ByteBufUtil.hexDump(bytes);
  }

  static byte[] bytes(ByteBuf buf) {
    return ByteBufUtil.getBytes(buf);
  }

  /** Decodes {@code input} in one call to the given decoder. */
  static List<Msg> decodeWhole(ChunkDecoder decoder, byte[] input) throws ProtocolException {
    List<Msg> out = new ArrayList<>();
    ByteBuf in = Unpooled.wrappedBuffer(input);
    decoder.decode(in, m -> out.add(Msg.of(m)));
    if (in.isReadable()) {
      throw new AssertionError("decoder left " + in.readableBytes() + " bytes unread");
    }
    return out;
  }

  /** Decodes {@code input} in pieces of 1..maxPiece bytes chosen by {@code random}. */
  static List<Msg> decodeSplit(ChunkDecoder decoder, byte[] input, Random random, int maxPiece)
      throws ProtocolException {
    List<Msg> out = new ArrayList<>();
    int offset = 0;
    while (offset < input.length) {
      int n = Math.min(input.length - offset, 1 + random.nextInt(maxPiece));
      ByteBuf in = Unpooled.wrappedBuffer(input, offset, n);
      decoder.decode(in, m -> out.add(Msg.of(m)));
      if (in.isReadable()) {
        throw new AssertionError("decoder left " + in.readableBytes() + " bytes unread");
      }
      offset += n;
    }
    return out;
  }

  static RtmpMessage message(int chunkStreamId, int typeId, int messageStreamId, long timestamp,
      byte[] payload) {
    return new RtmpMessage(chunkStreamId, typeId, messageStreamId, timestamp,
        Unpooled.wrappedBuffer(payload));
  }
}
