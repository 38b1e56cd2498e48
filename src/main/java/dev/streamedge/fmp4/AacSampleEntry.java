package dev.streamedge.fmp4;

import dev.streamedge.media.codec.CodecStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An AAC track: {@code mp4a} with an {@code esds} whose decoder-specific info is the
 * AudioSpecificConfig (ISO/IEC 14496-14 §5.6, ISO/IEC 14496-1 §7.2.6), timed in samples.
 *
 * @param audioSpecificConfig as the FLV sequence header carries it (do not modify)
 */
public record AacSampleEntry(byte[] audioSpecificConfig, int sampleRate, int channels) implements SampleEntry {

  /** ISO/IEC 14496-1 §7.2.6.6.2, objectTypeIndication: Audio ISO/IEC 14496-3. */
  private static final int OBJECT_TYPE_AAC = 0x40;
  /** streamType 0x05 (AudioStream) << 2 | upStream 0 | reserved 1. */
  private static final int STREAM_TYPE_AUDIO = 0x15;
  private static final int TAG_ES = 0x03;
  private static final int TAG_DECODER_CONFIG = 0x04;
  private static final int TAG_DECODER_SPECIFIC = 0x05;
  private static final int TAG_SL_CONFIG = 0x06;

  /**
   * The longest AudioSpecificConfig carried: its length is one byte of the {@code esds} descriptors; real ones are
   * 2 to 5 bytes, and a few dozen with a program config element.
   */
  public static final int MAX_CONFIG_BYTES = 100;

  public AacSampleEntry {
    if (audioSpecificConfig.length > MAX_CONFIG_BYTES) {
      throw new IllegalArgumentException("AudioSpecificConfig of " + audioSpecificConfig.length + " bytes");
    }
  }

  @Override
  public boolean video() {
    return false;
  }

  @Override
  public int timescale() {
    return sampleRate;
  }

  @Override
  public int width() {
    return 0;
  }

  @Override
  public int height() {
    return 0;
  }

  @Override
  public String codecs() {
    return CodecStrings.aac(Unpooled.wrappedBuffer(audioSpecificConfig));
  }

  @Override
  public void write(ByteBuf out) {
    int entry = Boxes.begin(out, "mp4a");
    // channelConfiguration 0 puts the layout in a program config element; 2 is the usual reading.
    SampleEntry.writeAudioFields(out, channels == 0 ? 2 : channels, sampleRate);
    int esds = Boxes.beginFull(out, "esds", 0, 0);
    int asc = audioSpecificConfig.length;
    // Descriptor sizes fit in one byte (§8.3.3: sizeOfInstance, 7 bits per byte): bounded above.
    int decoderConfig = 13 + 2 + asc;
    int es = 3 + 2 + decoderConfig + 3;
    out.writeByte(TAG_ES).writeByte(es);
    out.writeShort(0); // ES_ID: 0 in MP4 files, the track ID says it (14496-14 §3.1.2)
    out.writeByte(0); // no dependsOn, URL or OCR stream; priority 0
    out.writeByte(TAG_DECODER_CONFIG).writeByte(decoderConfig);
    out.writeByte(OBJECT_TYPE_AAC);
    out.writeByte(STREAM_TYPE_AUDIO);
    out.writeMedium(0); // bufferSizeDB
    out.writeInt(0); // maxBitrate
    out.writeInt(0); // avgBitrate
    out.writeByte(TAG_DECODER_SPECIFIC).writeByte(asc);
    out.writeBytes(audioSpecificConfig);
    out.writeByte(TAG_SL_CONFIG).writeByte(1);
    out.writeByte(0x02); // predefined: reserved for MP4 files
    Boxes.end(out, esds);
    Boxes.end(out, entry);
  }
}
