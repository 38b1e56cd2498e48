package dev.streamedge.fmp4;

import dev.streamedge.media.codec.CodecStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An HEVC track: {@code hvc1} with the HEVCDecoderConfigurationRecord in {@code hvcC}
 * (ISO/IEC 14496-15 §8.4.1), at 90 kHz. {@code hvc1} keeps the parameter sets in {@code hvcC}, as
 * Apple's HLS authoring specification asks.
 *
 * @param configurationRecord as the Enhanced RTMP sequence start carries it (do not modify)
 */
public record HevcSampleEntry(byte[] configurationRecord, int width, int height) implements SampleEntry {

  @Override
  public boolean video() {
    return true;
  }

  @Override
  public int timescale() {
    return AvcSampleEntry.TIMESCALE;
  }

  @Override
  public String codecs() {
    return CodecStrings.hevc(Unpooled.wrappedBuffer(configurationRecord));
  }

  @Override
  public void write(ByteBuf out) {
    SampleEntry.writeVisual(out, "hvc1", width, height, "hvcC", configurationRecord);
  }
}
