package dev.streamedge.fmp4;

import dev.streamedge.media.codec.CodecStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * An AV1 track: {@code av01} with the AV1CodecConfigurationRecord in {@code av1C} ("AV1 Codec ISO
 * Media File Format Binding" §2.2 and §2.3), at 90 kHz.
 *
 * @param configurationRecord as the Enhanced RTMP sequence start carries it (do not modify)
 */
public record Av1SampleEntry(byte[] configurationRecord, int width, int height) implements SampleEntry {

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
    return CodecStrings.av1(Unpooled.wrappedBuffer(configurationRecord));
  }

  @Override
  public void write(ByteBuf out) {
    SampleEntry.writeVisual(out, "av01", width, height, "av1C", configurationRecord);
  }
}
