package dev.streamedge.hls.fmp4;

import io.netty.buffer.ByteBuf;

/**
 * An H.264 track: {@code avc1} with the AVCDecoderConfigurationRecord in {@code avcC}
 * (ISO/IEC 14496-15 §5.4.2.1), at 90 kHz. With {@code avc1} the parameter sets live in {@code avcC}
 * only, so a new SPS or PPS needs a new init segment.
 *
 * @param configurationRecord the record as the FLV sequence header carries it (do not modify)
 */
public record AvcSampleEntry(byte[] configurationRecord, int width, int height) implements SampleEntry {

  public static final int TIMESCALE = 90_000;

  @Override
  public boolean video() {
    return true;
  }

  @Override
  public int timescale() {
    return TIMESCALE;
  }

  @Override
  public void write(ByteBuf out) {
    int entry = Boxes.begin(out, "avc1");
    SampleEntry.writeVisualFields(out, width, height);
    int avcC = Boxes.begin(out, "avcC");
    out.writeBytes(configurationRecord);
    Boxes.end(out, avcC);
    Boxes.end(out, entry);
  }
}
