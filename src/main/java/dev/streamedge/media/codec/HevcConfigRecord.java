package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import java.io.ByteArrayOutputStream;

/**
 * Writes an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1) from one VPS, SPS and PPS, as
 * ffmpeg's ff_isom_write_hvcc does for its FLV muxer: the general profile, tier and level of the SPS,
 * its chroma format, bit depths, temporal layers and nesting flag, four-byte NAL lengths, no frame
 * rate, and the three parameter sets in arrays with array_completeness 0.
 *
 * <p>One field differs from ffmpeg's when the SPS carries VUI bitstream restrictions:
 * min_spatial_segmentation_idc (and with it parallelismType) is written 0, "no guarantee", which
 * every decoder accepts; ffmpeg reads it from the VUI. Encoders rarely send it (x265 does not).
 */
public final class HevcConfigRecord {

  private static final int NAL_VPS = 32;
  private static final int NAL_SPS = 33;
  private static final int NAL_PPS = 34;

  private HevcConfigRecord() {
  }

  /**
   * The record for the three parameter sets, each a NAL unit without start code or length.
   *
   * @throws MediaFormatException when they are not a VPS, an SPS and a PPS or the SPS does not parse
   */
  public static byte[] write(byte[] vps, byte[] sps, byte[] pps) throws MediaFormatException {
    check(vps, NAL_VPS);
    check(sps, NAL_SPS);
    check(pps, NAL_PPS);
    HevcSps parsed = HevcSps.parse(sps);
    ByteArrayOutputStream out = new ByteArrayOutputStream(23 + 3 * 5 + vps.length + sps.length + pps.length);
    out.write(1); // configurationVersion
    // general_profile_space, tier, profile_idc, compatibility flags, constraint flags, level_idc.
    out.writeBytes(parsed.generalProfileTierLevel());
    out.write(0xF0); // reserved '1111', min_spatial_segmentation_idc 0 (12 bits)
    out.write(0x00);
    out.write(0xFC); // reserved '111111', parallelismType 0
    out.write(0xFC | parsed.chromaFormat()); // reserved '111111', chromaFormat
    out.write(0xF8 | parsed.bitDepthLumaMinus8()); // reserved '11111', bitDepthLumaMinus8
    out.write(0xF8 | parsed.bitDepthChromaMinus8()); // reserved '11111', bitDepthChromaMinus8
    out.write(0); // avgFrameRate 0: unspecified
    out.write(0);
    // constantFrameRate 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne 3.
    out.write((parsed.maxSubLayersMinus1() + 1) << 3 | (parsed.temporalIdNesting() ? 1 : 0) << 2 | 0x03);
    out.write(3); // numOfArrays
    array(out, NAL_VPS, vps);
    array(out, NAL_SPS, sps);
    array(out, NAL_PPS, pps);
    return out.toByteArray();
  }

  /** array_completeness 0, reserved 0, NAL_unit_type, numNalus 1, nalUnitLength, the NAL unit. */
  private static void array(ByteArrayOutputStream out, int type, byte[] nal) {
    out.write(type);
    out.write(0);
    out.write(1);
    out.write(nal.length >>> 8);
    out.write(nal.length & 0xFF);
    out.writeBytes(nal);
  }

  private static void check(byte[] nal, int type) throws MediaFormatException {
    if (nal.length < 2 || (nal[0] >>> 1 & 0x3F) != type || nal.length > 0xFFFF) {
      throw new MediaFormatException("not an HEVC NAL unit of type " + type + ": " + nal.length + " bytes");
    }
  }
}
