package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * An AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1), the body of an FLV AAC sequence header. With
 * explicit SBR/PS signalling (HE-AAC) the core layer is kept, which is what ADTS describes.
 *
 * @param objectType audio object type of the core: 2 = AAC LC
 * @param frequencyIndex samplingFrequencyIndex, 0..12, or 15 when the rate was given explicitly
 * @param sampleRate core sampling frequency in Hz
 * @param channelConfig channelConfiguration, 0 (in a PCE) to 15
 */
public record AacConfig(int objectType, int frequencyIndex, int sampleRate, int channelConfig) {

  /** Table 1.18; index 13 and 14 are reserved and 15 is the escape to an explicit rate. */
  private static final int[] SAMPLE_RATES =
      {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350};
  private static final int FREQUENCY_ESCAPE = 15;
  private static final int OBJECT_TYPE_ESCAPE = 31;
  private static final int OBJECT_TYPE_SBR = 5;
  private static final int OBJECT_TYPE_PS = 29;
  public static final int ADTS_HEADER_LENGTH = 7;
  /** aac_frame_length is 13 bits and includes the header (§1.A.2.2.2). */
  public static final int MAX_ADTS_PAYLOAD = (1 << 13) - 1 - ADTS_HEADER_LENGTH;
  /** Samples per raw AAC frame in the 1024-sample framing every FLV AAC stream uses. */
  public static final int SAMPLES_PER_FRAME = 1024;

  /** Reads the readable bytes of {@code config}, which is left untouched. */
  public static AacConfig parse(ByteBuf config) throws MediaFormatException {
    // The fields read here fit in 11 bytes; GASpecificConfig and extensions after them are ignored.
    int length = Math.min(config.readableBytes(), 16);
    BitReader in = new BitReader(ByteBufUtil.getBytes(config, config.readerIndex(), length));
    int objectType = objectType(in);
    int frequencyIndex = in.bits(4);
    int sampleRate = sampleRate(in, frequencyIndex);
    int channelConfig = in.bits(4);
    if (objectType == OBJECT_TYPE_SBR || objectType == OBJECT_TYPE_PS) {
      // Explicit hierarchical signalling: the extension rate, then the core object type.
      sampleRate(in, in.bits(4));
      objectType = objectType(in);
    }
    if (objectType == 0) {
      throw new MediaFormatException("AudioSpecificConfig object type 0 (null)");
    }
    return new AacConfig(objectType, frequencyIndex, sampleRate, channelConfig);
  }

  /**
   * The two-byte AudioSpecificConfig of this configuration (§1.6.2.1), as ffmpeg's aac_adtstoasc
   * writes it from an ADTS header: object type, sampling frequency index, channel configuration,
   * then GASpecificConfig with frameLengthFlag, dependsOnCoreCoder and extensionFlag all 0.
   *
   * @throws IllegalStateException when the fields do not fit the short form (object type 31 or
   *     more, an explicit rate)
   */
  public byte[] audioSpecificConfig() {
    if (objectType < 1 || objectType >= OBJECT_TYPE_ESCAPE || frequencyIndex >= SAMPLE_RATES.length) {
      throw new IllegalStateException("no two-byte AudioSpecificConfig for " + this);
    }
    int bits = objectType << 11 | frequencyIndex << 7 | channelConfig << 3;
    return new byte[] {(byte) (bits >>> 8), (byte) bits};
  }

  /** The rate of a samplingFrequencyIndex of Table 1.18, -1 for the reserved ones and the escape. */
  static int tabledSampleRate(int index) {
    return index >= 0 && index < SAMPLE_RATES.length ? SAMPLE_RATES[index] : -1;
  }

  /** GetAudioObjectType(), §1.6.2.1.1. */
  private static int objectType(BitReader in) throws MediaFormatException {
    int type = in.bits(5);
    return type == OBJECT_TYPE_ESCAPE ? 32 + in.bits(6) : type;
  }

  private static int sampleRate(BitReader in, int index) throws MediaFormatException {
    if (index == FREQUENCY_ESCAPE) {
      int rate = in.bits(24);
      if (rate == 0) {
        throw new MediaFormatException("AudioSpecificConfig sampling frequency 0");
      }
      return rate;
    }
    if (index >= SAMPLE_RATES.length) {
      throw new MediaFormatException("AudioSpecificConfig reserved sampling frequency index " + index);
    }
    return SAMPLE_RATES[index];
  }

  /**
   * Whether an ADTS header can describe this stream: object types 1-4 (the 2-bit profile field), a
   * tabled rate (ADTS has no escape) and a channel configuration 1-7 (a PCE would have to be sent
   * in-band).
   */
  public boolean adtsCompatible() {
    return objectType >= 1 && objectType <= 4 && adtsFrequencyIndex() >= 0
        && channelConfig >= 1 && channelConfig <= 7;
  }

  /** Duration of one raw frame in 90 kHz ticks, rounded down. */
  public long frameDuration90k() {
    return SAMPLES_PER_FRAME * 90_000L / sampleRate;
  }

  /**
   * Writes a 7-byte ADTS header without CRC (§1.A.2.2.1 adts_fixed_header and adts_variable_header)
   * for one raw frame of {@code rawFrameLength} bytes.
   *
   * @throws IllegalStateException if the config is not {@link #adtsCompatible()}
   * @throws IllegalArgumentException if the frame does not fit aac_frame_length
   */
  public void writeAdtsHeader(ByteBuf out, int rawFrameLength) {
    if (!adtsCompatible()) {
      throw new IllegalStateException("ADTS cannot describe " + this);
    }
    if (rawFrameLength < 0 || rawFrameLength > MAX_ADTS_PAYLOAD) {
      throw new IllegalArgumentException("raw AAC frame of " + rawFrameLength + " bytes does not fit ADTS");
    }
    int profile = objectType - 1;
    int frameLength = rawFrameLength + ADTS_HEADER_LENGTH;
    // syncword 0xFFF, ID 0 (MPEG-4), layer 00, protection_absent 1.
    out.writeByte(0xFF);
    out.writeByte(0xF1);
    // profile, sampling_frequency_index, private_bit 0, channel_configuration (3 bits).
    out.writeByte(profile << 6 | adtsFrequencyIndex() << 2 | channelConfig >>> 2);
    // original_copy, home, copyright bits 0; aac_frame_length 13 bits.
    out.writeByte((channelConfig & 0x03) << 6 | frameLength >>> 11);
    out.writeByte(frameLength >>> 3);
    // adts_buffer_fullness 0x7FF (variable rate), number_of_raw_data_blocks_in_frame 0.
    out.writeByte((frameLength & 0x07) << 5 | 0x1F);
    out.writeByte(0xFC);
  }

  /** The table index of the rate, also when it was given explicitly; -1 when it has none. */
  private int adtsFrequencyIndex() {
    for (int i = 0; i < SAMPLE_RATES.length; i++) {
      if (SAMPLE_RATES[i] == sampleRate) {
        return i;
      }
    }
    return -1;
  }
}
