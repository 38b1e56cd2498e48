package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

/**
 * What HLS needs from an AV1CodecConfigurationRecord ("AV1 Codec ISO Media File Format Binding"
 * §2.3.3), the body of an Enhanced RTMP {@code av01} sequence start: the maximum frame size from the
 * sequence header OBU in its configOBUs.
 *
 * @param width max_frame_width_minus_1 + 1 (AV1 §5.5.1)
 * @param height max_frame_height_minus_1 + 1
 */
public record Av1Config(int width, int height) {

  private static final int OBU_SEQUENCE_HEADER = 1;
  private static final int OBU_TEMPORAL_DELIMITER = 2;
  /** marker (1) and version (1), AV1-ISOBMFF §2.3.3. */
  private static final int MARKER_VERSION_1 = 0x81;
  private static final int FIXED_LENGTH = 4;

  /** Reads the readable bytes of {@code record}, which is left untouched. */
  public static Av1Config parse(ByteBuf record) throws MediaFormatException {
    int at = record.readerIndex();
    int end = record.writerIndex();
    if (end - at < FIXED_LENGTH || record.getUnsignedByte(at) != MARKER_VERSION_1) {
      throw new MediaFormatException("not an AV1CodecConfigurationRecord version 1");
    }
    int offset = at + FIXED_LENGTH;
    while (offset < end) {
      int header = record.getUnsignedByte(offset++);
      int type = header >>> 3 & 0x0F;
      if ((header & 0x04) != 0) {
        offset++; // obu_extension_header
      }
      if ((header & 0x02) == 0) {
        throw new MediaFormatException("AV1 configOBUs without obu_size");
      }
      long size = 0;
      for (int i = 0; ; i++) { // leb128(), AV1 §4.10.5
        if (offset >= end || i == 8) {
          throw new MediaFormatException("AV1 OBU size truncated");
        }
        int b = record.getUnsignedByte(offset++);
        size |= (long) (b & 0x7F) << (7 * i);
        if ((b & 0x80) == 0) {
          break;
        }
      }
      if (offset + size > end) {
        throw new MediaFormatException("AV1 OBU of " + size + " bytes past the record's end");
      }
      if (type == OBU_SEQUENCE_HEADER) {
        byte[] payload = new byte[(int) size];
        record.getBytes(offset, payload);
        return sequenceHeader(new BitReader(payload));
      }
      offset += (int) size;
    }
    throw new MediaFormatException("AV1CodecConfigurationRecord without a sequence header OBU");
  }

  /**
   * Where the OBUs of a temporal unit start once a leading temporal delimiter is left out:
   * AV1-ISOBMFF §2.4 says samples should not carry them, and encoders' FLV output does.
   */
  public static int skipTemporalDelimiter(ByteBuf sample) {
    int at = sample.readerIndex();
    // A temporal delimiter has an empty payload: header with obu_has_size_field, then size 0.
    if (sample.readableBytes() >= 2 && (sample.getUnsignedByte(at) >>> 3 & 0x0F) == OBU_TEMPORAL_DELIMITER
        && (sample.getUnsignedByte(at) & 0x06) == 0x02 && sample.getUnsignedByte(at + 1) == 0) {
      return 2;
    }
    return 0;
  }

  /** sequence_header_obu() (AV1 §5.5.1) up to max_frame_height_minus_1. */
  private static Av1Config sequenceHeader(BitReader in) throws MediaFormatException {
    in.skip(3); // seq_profile
    in.skip(1); // still_picture
    boolean reduced = in.bit() == 1;
    if (reduced) {
      in.skip(5); // seq_level_idx[0]
    } else {
      boolean decoderModelInfo = false;
      int bufferDelayLength = 0;
      if (in.bit() == 1) { // timing_info_present_flag
        in.skip(32); // num_units_in_display_tick
        in.skip(32); // time_scale
        if (in.bit() == 1) { // equal_picture_interval
          uvlc(in); // num_ticks_per_picture_minus_1
        }
        decoderModelInfo = in.bit() == 1;
        if (decoderModelInfo) {
          bufferDelayLength = in.bits(5) + 1;
          in.skip(32); // num_units_in_decoding_tick
          in.skip(5); // buffer_removal_time_length_minus_1
          in.skip(5); // frame_presentation_time_length_minus_1
        }
      }
      boolean initialDisplayDelay = in.bit() == 1;
      int operatingPoints = in.bits(5) + 1;
      for (int i = 0; i < operatingPoints; i++) {
        in.skip(12); // operating_point_idc
        if (in.bits(5) > 7) { // seq_level_idx
          in.skip(1); // seq_tier
        }
        if (decoderModelInfo && in.bit() == 1) { // decoder_model_present_for_this_op
          in.skip(2 * bufferDelayLength + 1); // decoder/encoder_buffer_delay, low_delay_mode_flag
        }
        if (initialDisplayDelay && in.bit() == 1) {
          in.skip(4); // initial_display_delay_minus_1
        }
      }
    }
    int widthBits = in.bits(4) + 1;
    int heightBits = in.bits(4) + 1;
    long width = Integer.toUnsignedLong(in.bits(widthBits)) + 1;
    long height = Integer.toUnsignedLong(in.bits(heightBits)) + 1;
    if (width > 65_536 || height > 65_536) {
      throw new MediaFormatException("AV1 frame size " + width + "x" + height);
    }
    return new Av1Config((int) width, (int) height);
  }

  /** uvlc() (AV1 §4.10.3), read only to get past it. */
  private static void uvlc(BitReader in) throws MediaFormatException {
    int zeros = 0;
    while (in.bit() == 0) {
      if (++zeros >= 32) {
        return;
      }
    }
    in.skip(zeros);
  }
}
