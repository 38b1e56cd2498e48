package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.2.4.1), the body of an FLV AVC sequence
 * header, with the picture size read from its first SPS.
 *
 * @param profile AVCProfileIndication
 * @param level AVCLevelIndication
 * @param nalLengthSize bytes of the length prefix of every NAL unit in the stream: 1, 2 or 4
 * @param sps sequence parameter set NAL units, at least one (do not modify the arrays)
 * @param pps picture parameter set NAL units, at least one (do not modify the arrays)
 * @param width cropped luma width in pixels (ITU-T H.264 §7.4.2.1.1)
 * @param height cropped luma height in pixels
 */
public record AvcConfig(
    int profile, int level, int nalLengthSize, List<byte[]> sps, List<byte[]> pps, int width, int height) {

  private static final int NAL_TYPE_SPS = 7;
  private static final int NAL_TYPE_PPS = 8;

  public AvcConfig {
    sps = List.copyOf(sps);
    pps = List.copyOf(pps);
  }

  /** Reads a record from the readable bytes of {@code record}, which is left untouched. */
  public static AvcConfig parse(ByteBuf record) throws MediaFormatException {
    Reader in = new Reader(record);
    int version = in.u8();
    if (version != 1) {
      throw new MediaFormatException("AVCDecoderConfigurationRecord version " + version + ", expected 1");
    }
    int profile = in.u8();
    in.u8(); // profile_compatibility
    int level = in.u8();
    // 6 reserved bits, lengthSizeMinusOne; a 3-byte length (value 2) is not allowed (§5.2.4.1.2).
    int nalLengthSize = (in.u8() & 0x03) + 1;
    if (nalLengthSize == 3) {
      throw new MediaFormatException("AVC NAL length size 3 is not allowed");
    }
    List<byte[]> sps = in.parameterSets(in.u8() & 0x1F, NAL_TYPE_SPS);
    List<byte[]> pps = in.parameterSets(in.u8(), NAL_TYPE_PPS);
    if (sps.isEmpty() || pps.isEmpty()) {
      throw new MediaFormatException("AVCDecoderConfigurationRecord without SPS or PPS");
    }
    AvcSps.Header first = AvcSps.header(new BitReader(BitReader.unescape(sps.get(0))));
    return new AvcConfig(profile, level, nalLengthSize, sps, pps, first.width(), first.height());
  }

  /** Bounds-checked reads over a record, by index. */
  private static final class Reader {
    private final ByteBuf buf;
    private int offset;
    private final int end;

    Reader(ByteBuf buf) {
      this.buf = buf;
      this.offset = buf.readerIndex();
      this.end = buf.writerIndex();
    }

    int u8() throws MediaFormatException {
      need(1);
      return buf.getUnsignedByte(offset++);
    }

    List<byte[]> parameterSets(int count, int nalType) throws MediaFormatException {
      List<byte[]> sets = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        need(2);
        int length = buf.getUnsignedShort(offset);
        offset += 2;
        need(length);
        if (length == 0 || (buf.getUnsignedByte(offset) & 0x1F) != nalType) {
          throw new MediaFormatException("AVC parameter set " + i + " is not a NAL unit of type " + nalType);
        }
        sets.add(ByteBufUtil.getBytes(buf, offset, length));
        offset += length;
      }
      return sets;
    }

    private void need(int length) throws MediaFormatException {
      if (end - offset < length) {
        throw new MediaFormatException("AVCDecoderConfigurationRecord truncated: " + length
            + " bytes needed at offset " + (offset - buf.readerIndex()) + ", " + (end - offset) + " left");
      }
    }
  }
}
