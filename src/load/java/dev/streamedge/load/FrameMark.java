package dev.streamedge.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Marks each H.264 video frame with a sequence number and the publisher's send time, so that a player
 * recognises the frame whatever the server does to RTMP timestamps, message order or chunking.
 *
 * <p>The mark is an SEI NAL unit (H.264 §7.3.2.3) with one user_data_unregistered message (payload
 * type 5, §D.1.6): a UUID of our own, then the two numbers. Servers forward NAL units untouched and
 * decoders skip user data they do not know, so the stream stays playable. The numbers are written 7
 * bits to a byte with the top bit set, and the UUID has no zero byte: the NAL unit then never holds
 * two zero bytes in a row, so it needs no emulation prevention (§7.4.1) and is read back as written.
 */
public final class FrameMark {

  /** A recognised mark: the publisher's frame number and its {@link System#nanoTime()} at sending. */
  public record Mark(long sequence, long sentNanos) {
  }

  /** Our user data's UUID (random, fixed; no zero byte). */
  static final byte[] UUID = {
      (byte) 0x5e, (byte) 0x7a, (byte) 0x3b, (byte) 0xd1, (byte) 0x91, (byte) 0x4c, (byte) 0x4f, (byte) 0xe2,
      (byte) 0xa8, (byte) 0x17, (byte) 0x6d, (byte) 0xc3, (byte) 0x25, (byte) 0xf0, (byte) 0x88, (byte) 0x1b};

  private static final int NAL_SEI = 6;
  private static final int NAL_AUD = 9;
  private static final int SEI_USER_DATA_UNREGISTERED = 5;
  /** Ten 7-bit groups hold 64 bits. */
  private static final int NUMBER_BYTES = 10;
  private static final int SEI_PAYLOAD = UUID.length + 2 * NUMBER_BYTES;
  /** NAL header, payload type, payload size, the payload, rbsp_trailing_bits. */
  static final int SEI_NAL_LENGTH = 1 + 1 + 1 + SEI_PAYLOAD + 1;
  /** FLV VideoTagHeader of AVC: FrameType|CodecID, AVCPacketType, CompositionTime (§E.4.3.1). */
  private static final int AVC_HEADER = 5;
  private static final int CODEC_AVC = 7;
  private static final int AVC_NALU = 1;
  private static final int AVC_SEQUENCE_HEADER = 0;

  private FrameMark() {
  }

  /** Whether an FLV video body is an AVC frame carrying NAL units, the kind that gets a mark. */
  public static boolean isAvcFrame(ByteBuf body) {
    return body.readableBytes() > AVC_HEADER && (body.getByte(body.readerIndex()) & 0x0F) == CODEC_AVC
        && body.getByte(body.readerIndex() + 1) == AVC_NALU;
  }

  /**
   * The NALU length size (1, 2 or 4) declared by an AVC sequence header (AVCDecoderConfigurationRecord,
   * ISO/IEC 14496-15 §5.2.4.1: lengthSizeMinusOne in its fifth byte), or 0 when the body is none.
   */
  public static int nalLengthSize(ByteBuf body) {
    int at = body.readerIndex();
    if (body.readableBytes() < AVC_HEADER + 5 || (body.getByte(at) & 0x0F) != CODEC_AVC
        || body.getByte(at + 1) != AVC_SEQUENCE_HEADER) {
      return 0;
    }
    return (body.getByte(at + AVC_HEADER + 4) & 0x03) + 1;
  }

  /**
   * A copy of an AVC frame's body with the mark as its first NAL unit, or second after an access unit
   * delimiter, which must come first (§7.4.1.2.3). {@code nalLengthSize} is the stream's, from
   * {@link #nalLengthSize}.
   */
  public static ByteBuf inject(ByteBuf body, int nalLengthSize, long sequence, long sentNanos) {
    int start = body.readerIndex();
    int end = body.writerIndex();
    int insertAt = start + AVC_HEADER;
    if (end - insertAt > nalLengthSize) {
      int firstLength = length(body, insertAt, nalLengthSize);
      if ((body.getByte(insertAt + nalLengthSize) & 0x1F) == NAL_AUD && insertAt + nalLengthSize + firstLength <= end) {
        insertAt += nalLengthSize + firstLength;
      }
    }
    ByteBuf out = Unpooled.buffer(end - start + nalLengthSize + SEI_NAL_LENGTH);
    out.writeBytes(body, start, insertAt - start);
    writeLength(out, nalLengthSize, SEI_NAL_LENGTH);
    out.writeByte(NAL_SEI);
    out.writeByte(SEI_USER_DATA_UNREGISTERED);
    out.writeByte(SEI_PAYLOAD);
    out.writeBytes(UUID);
    writeNumber(out, sequence);
    writeNumber(out, sentNanos);
    out.writeByte(0x80);
    out.writeBytes(body, insertAt, end - insertAt);
    return out;
  }

  /**
   * The mark in an AVC frame's body, or null when it has none. Looks at every NAL unit's header only,
   * so it costs a few reads per frame however large the frame.
   */
  public static Mark find(ByteBuf body, int nalLengthSize) {
    if (!isAvcFrame(body)) {
      return null;
    }
    int end = body.writerIndex();
    int at = body.readerIndex() + AVC_HEADER;
    while (at + nalLengthSize < end) {
      int length = length(body, at, nalLengthSize);
      int nal = at + nalLengthSize;
      if (length <= 0 || nal + length > end) {
        return null;
      }
      Mark mark = length == SEI_NAL_LENGTH ? readSei(body, nal) : null;
      if (mark != null) {
        return mark;
      }
      at = nal + length;
    }
    return null;
  }

  /**
   * The mark in the NAL unit that starts at {@code nal} (its header byte), or null when it is no mark.
   * The caller makes sure {@link #SEI_NAL_LENGTH} bytes are there: with length prefixes (FLV) or start
   * codes (MPEG-TS, where the mark travels unchanged for having no zero bytes).
   */
  static Mark readSei(ByteBuf bytes, int nal) {
    if ((bytes.getByte(nal) & 0x1F) != NAL_SEI || bytes.getByte(nal + 1) != SEI_USER_DATA_UNREGISTERED
        || bytes.getByte(nal + 2) != SEI_PAYLOAD || !hasUuid(bytes, nal + 3)) {
      return null;
    }
    int numbers = nal + 3 + UUID.length;
    return new Mark(readNumber(bytes, numbers), readNumber(bytes, numbers + NUMBER_BYTES));
  }

  private static boolean hasUuid(ByteBuf body, int at) {
    for (int i = 0; i < UUID.length; i++) {
      if (body.getByte(at + i) != UUID[i]) {
        return false;
      }
    }
    return true;
  }

  private static int length(ByteBuf body, int at, int size) {
    return switch (size) {
      case 1 -> body.getUnsignedByte(at);
      case 2 -> body.getUnsignedShort(at);
      case 3 -> body.getUnsignedMedium(at);
      default -> body.getInt(at);
    };
  }

  private static void writeLength(ByteBuf out, int size, int length) {
    switch (size) {
      case 1 -> out.writeByte(length);
      case 2 -> out.writeShort(length);
      case 3 -> out.writeMedium(length);
      default -> out.writeInt(length);
    }
  }

  /** Most significant group first; every byte has its top bit set, so none is zero. */
  private static void writeNumber(ByteBuf out, long value) {
    for (int shift = 7 * (NUMBER_BYTES - 1); shift >= 0; shift -= 7) {
      out.writeByte(0x80 | (int) (value >>> shift) & 0x7F);
    }
  }

  private static long readNumber(ByteBuf body, int at) {
    long value = 0;
    for (int i = 0; i < NUMBER_BYTES; i++) {
      value = value << 7 | body.getByte(at + i) & 0x7F;
    }
    return value;
  }
}
