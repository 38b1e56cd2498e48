package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

/**
 * An ADTS frame header (ISO/IEC 14496-3 §1.A.2.2.1, adts_fixed_header and adts_variable_header; the
 * same syntax as ISO/IEC 13818-7 §6.2), as MPEG-TS carries AAC.
 *
 * @param config what the header says about the stream, as an AudioSpecificConfig would
 * @param protectionAbsent false when a 16-bit CRC follows the 7 header bytes
 * @param frameLength aac_frame_length: the whole frame, header included
 * @param rawDataBlocks number_of_raw_data_blocks_in_frame + 1
 */
public record AdtsHeader(AacConfig config, boolean protectionAbsent, int frameLength, int rawDataBlocks) {

  private static final int CRC_LENGTH = 2;

  /** Reads the header at {@code at} of {@code buf}, which is left untouched. */
  public static AdtsHeader parse(ByteBuf buf, int at) throws MediaFormatException {
    if (buf.writerIndex() - at < AacConfig.ADTS_HEADER_LENGTH) {
      throw new MediaFormatException("ADTS header truncated: " + (buf.writerIndex() - at) + " bytes");
    }
    int first = buf.getUnsignedShort(at);
    // syncword 0xFFF, then ID (either), layer '00'.
    if ((first & 0xFFF6) != 0xFFF0) {
      throw new MediaFormatException("no ADTS syncword: " + Integer.toHexString(first));
    }
    boolean protectionAbsent = (first & 0x01) != 0;
    long bits = buf.getUnsignedInt(at + 2) << 8 | buf.getUnsignedByte(at + 6);
    int profile = (int) (bits >>> 38) & 0x03;
    int frequencyIndex = (int) (bits >>> 34) & 0x0F;
    int channelConfig = (int) (bits >>> 30) & 0x07;
    int frameLength = (int) (bits >>> 13) & 0x1FFF;
    int rawDataBlocks = (int) bits & 0x03;
    int rate = AacConfig.tabledSampleRate(frequencyIndex);
    if (rate < 0) {
      throw new MediaFormatException("ADTS reserved sampling frequency index " + frequencyIndex);
    }
    AdtsHeader header = new AdtsHeader(new AacConfig(profile + 1, frequencyIndex, rate, channelConfig),
        protectionAbsent, frameLength, rawDataBlocks + 1);
    if (frameLength < header.headerLength()) {
      throw new MediaFormatException("ADTS aac_frame_length " + frameLength + " shorter than its header");
    }
    return header;
  }

  /** The header's bytes: 7, or 9 with the CRC (adts_error_check, §1.A.2.2.3). */
  public int headerLength() {
    return AacConfig.ADTS_HEADER_LENGTH + (protectionAbsent ? 0 : CRC_LENGTH);
  }
}
