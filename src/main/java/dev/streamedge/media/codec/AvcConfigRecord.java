package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;

/**
 * Writes an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1) from one SPS and one PPS, byte
 * for byte as ffmpeg's ff_isom_write_avcc does (its FLV and MP4 muxers): four-byte NAL lengths, and
 * for profiles other than Baseline, Main and Extended the chroma format and bit depths read from
 * the SPS, with no SPS extensions.
 */
public final class AvcConfigRecord {

  private static final int NAL_TYPE_SPS = 7;
  private static final int NAL_TYPE_PPS = 8;
  private static final int PROFILE_BASELINE = 66;
  private static final int PROFILE_MAIN = 77;
  private static final int PROFILE_EXTENDED = 88;
  /** profile_idc, constraint flags, level_idc, after the NAL header. */
  private static final int SPS_MIN_LENGTH = 4;
  /** bit_depth_*_minus8 goes in 3 bits; H.264 allows up to 6 (14 bits). */
  private static final int MAX_BIT_DEPTH_MINUS8 = 6;

  private AvcConfigRecord() {
  }

  /**
   * The record for {@code sps} and {@code pps}, each a NAL unit without start code or length.
   *
   * @throws MediaFormatException when they are not an SPS and a PPS or the SPS does not parse
   */
  public static byte[] write(byte[] sps, byte[] pps) throws MediaFormatException {
    if (sps.length < SPS_MIN_LENGTH || (sps[0] & 0x1F) != NAL_TYPE_SPS || sps.length > 0xFFFF) {
      throw new MediaFormatException("not an SPS NAL unit of " + sps.length + " bytes");
    }
    if (pps.length < 1 || (pps[0] & 0x1F) != NAL_TYPE_PPS || pps.length > 0xFFFF) {
      throw new MediaFormatException("not a PPS NAL unit of " + pps.length + " bytes");
    }
    int profile = sps[1] & 0xFF;
    boolean extension = profile != PROFILE_BASELINE && profile != PROFILE_MAIN && profile != PROFILE_EXTENDED;
    int[] format = extension ? chromaAndBitDepths(sps, profile) : null;
    byte[] record = new byte[6 + 2 + sps.length + 1 + 2 + pps.length + (extension ? 4 : 0)];
    record[0] = 1; // configurationVersion
    record[1] = sps[1]; // AVCProfileIndication
    record[2] = sps[2]; // profile_compatibility
    record[3] = sps[3]; // AVCLevelIndication
    record[4] = (byte) 0xFF; // reserved '111111', lengthSizeMinusOne 3
    record[5] = (byte) 0xE1; // reserved '111', numOfSequenceParameterSets 1
    int at = put(record, 6, sps);
    record[at++] = 1; // numOfPictureParameterSets
    at = put(record, at, pps);
    if (extension) {
      record[at++] = (byte) (0xFC | format[0]); // reserved '111111', chroma_format
      record[at++] = (byte) (0xF8 | format[1]); // reserved '11111', bit_depth_luma_minus8
      record[at++] = (byte) (0xF8 | format[2]); // reserved '11111', bit_depth_chroma_minus8
      record[at] = 0; // numOfSequenceParameterSetExt
    }
    return record;
  }

  private static int put(byte[] record, int at, byte[] nal) {
    record[at] = (byte) (nal.length >>> 8);
    record[at + 1] = (byte) nal.length;
    System.arraycopy(nal, 0, record, at + 2, nal.length);
    return at + 2 + nal.length;
  }

  /**
   * {chroma_format_idc, bit_depth_luma_minus8, bit_depth_chroma_minus8} of seq_parameter_set_data
   * (H.264 §7.3.2.1.1); profiles without these fields mean 4:2:0 at 8 bits (§7.4.2.1.1).
   */
  private static int[] chromaAndBitDepths(byte[] sps, int profile) throws MediaFormatException {
    if (!AvcSps.HIGH_PROFILES.contains(profile)) {
      return new int[] {1, 0, 0};
    }
    BitReader in = new BitReader(BitReader.unescape(sps));
    in.skip(32); // NAL header, profile_idc, constraint flags, level_idc
    in.unsigned(); // seq_parameter_set_id
    int chromaFormat = in.unsigned();
    if (chromaFormat > 3) {
      throw new MediaFormatException("SPS chroma_format_idc " + chromaFormat);
    }
    if (chromaFormat == 3) {
      in.skip(1); // separate_colour_plane_flag
    }
    int lumaDepth = in.unsigned();
    int chromaDepth = in.unsigned();
    if (lumaDepth > MAX_BIT_DEPTH_MINUS8 || chromaDepth > MAX_BIT_DEPTH_MINUS8) {
      throw new MediaFormatException("SPS bit depths " + (lumaDepth + 8) + "/" + (chromaDepth + 8));
    }
    return new int[] {chromaFormat, lumaDepth, chromaDepth};
  }
}
