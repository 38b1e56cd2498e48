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

  /** Profiles whose SPS carries chroma format and scaling lists (H.264 §7.3.2.1.1). */
  static final List<Integer> HIGH_PROFILES =
      List.of(100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135);
  private static final int NAL_TYPE_SPS = 7;
  private static final int NAL_TYPE_PPS = 8;
  /** Level 6.2 allows 139264 macroblocks per frame; anything wider than this is broken. */
  private static final int MAX_DIMENSION = 16_384;

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
    int[] size = pictureSize(sps.get(0));
    return new AvcConfig(profile, level, nalLengthSize, sps, pps, size[0], size[1]);
  }

  /** Reads seq_parameter_set_data (H.264 §7.3.2.1.1) up to the cropping window: {width, height}. */
  private static int[] pictureSize(byte[] spsNal) throws MediaFormatException {
    BitReader in = new BitReader(BitReader.unescape(spsNal));
    in.skip(8); // NAL header
    int profile = in.bits(8);
    in.skip(16); // constraint flags, level_idc
    in.unsigned(); // seq_parameter_set_id
    int chromaFormat = 1;
    boolean separateColourPlanes = false;
    if (HIGH_PROFILES.contains(profile)) {
      chromaFormat = in.unsigned();
      if (chromaFormat > 3) {
        throw new MediaFormatException("SPS chroma_format_idc " + chromaFormat);
      }
      if (chromaFormat == 3) {
        separateColourPlanes = in.bit() == 1;
      }
      in.unsigned(); // bit_depth_luma_minus8
      in.unsigned(); // bit_depth_chroma_minus8
      in.skip(1); // qpprime_y_zero_transform_bypass_flag
      if (in.bit() == 1) { // seq_scaling_matrix_present_flag
        for (int i = 0; i < (chromaFormat != 3 ? 8 : 12); i++) {
          if (in.bit() == 1) {
            skipScalingList(in, i < 6 ? 16 : 64);
          }
        }
      }
    }
    in.unsigned(); // log2_max_frame_num_minus4
    int pocType = in.unsigned();
    if (pocType == 0) {
      in.unsigned(); // log2_max_pic_order_cnt_lsb_minus4
    } else if (pocType == 1) {
      in.skip(1); // delta_pic_order_always_zero_flag
      in.signed(); // offset_for_non_ref_pic
      in.signed(); // offset_for_top_to_bottom_field
      int cycle = in.unsigned();
      if (cycle > 255) {
        throw new MediaFormatException("SPS num_ref_frames_in_pic_order_cnt_cycle " + cycle);
      }
      for (int i = 0; i < cycle; i++) {
        in.signed();
      }
    }
    in.unsigned(); // max_num_ref_frames
    in.skip(1); // gaps_in_frame_num_value_allowed_flag
    long widthMbs = in.unsigned() + 1L;
    long heightMapUnits = in.unsigned() + 1L;
    int frameMbsOnly = in.bit();
    if (frameMbsOnly == 0) {
      in.skip(1); // mb_adaptive_frame_field_flag
    }
    in.skip(1); // direct_8x8_inference_flag
    long width = widthMbs * 16;
    long height = (2 - frameMbsOnly) * heightMapUnits * 16;
    if (in.bit() == 1) { // frame_cropping_flag; crop units from §7.4.2.1.1 (ChromaArrayType)
      boolean monochrome = chromaFormat == 0 || separateColourPlanes;
      int cropX = monochrome || chromaFormat == 3 ? 1 : 2;
      int cropY = (monochrome || chromaFormat != 1 ? 1 : 2) * (2 - frameMbsOnly);
      width -= (in.unsigned() + (long) in.unsigned()) * cropX;
      height -= (in.unsigned() + (long) in.unsigned()) * cropY;
    }
    if (width <= 0 || height <= 0 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
      throw new MediaFormatException("SPS picture size " + width + "x" + height);
    }
    return new int[] {(int) width, (int) height};
  }

  /** scaling_list() of H.264 §7.3.2.1.1.1, read only to get past it. */
  private static void skipScalingList(BitReader in, int size) throws MediaFormatException {
    int last = 8;
    int next = 8;
    for (int j = 0; j < size && next != 0; j++) {
      next = (last + in.signed() + 256) % 256;
      last = next == 0 ? last : next;
    }
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
