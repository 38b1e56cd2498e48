package dev.streamedge.fmp4;

import dev.streamedge.media.codec.CodecStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * An H.264 track: {@code avc1} with the AVCDecoderConfigurationRecord in {@code avcC}
 * (ISO/IEC 14496-15 §5.4.2.1), at 90 kHz. With {@code avc1} the parameter sets live in {@code avcC}
 * only, so a new SPS or PPS needs a new init segment.
 *
 * @param configurationRecord the record as the FLV sequence header carries it (do not modify)
 */
public record AvcSampleEntry(byte[] configurationRecord, int width, int height) implements SampleEntry {

  public static final int TIMESCALE = 90_000;

  /**
   * The record's SPS and PPS as NAL units with length prefixes of {@code nalLengthSize} bytes, to
   * write in band before a keyframe (ISO/IEC 14496-15 §5.3.2 lets {@code avc1} samples carry
   * parameter sets).
   */
  public static byte[] inBandParameterSets(List<byte[]> sps, List<byte[]> pps, int nalLengthSize) {
    ByteBuf out = Unpooled.buffer();
    for (List<byte[]> sets : List.of(sps, pps)) {
      for (byte[] nal : sets) {
        switch (nalLengthSize) {
          case 1 -> out.writeByte(nal.length);
          case 2 -> out.writeShort(nal.length);
          default -> out.writeInt(nal.length);
        }
        out.writeBytes(nal);
      }
    }
    return ByteBufUtil.getBytes(out);
  }

  /** Whether the first NAL unit of {@code sample} is an SPS (H.264 Table 7-1, type 7). */
  public static boolean startsWithSps(ByteBuf sample, int nalLengthSize) {
    int at = sample.readerIndex() + nalLengthSize;
    return sample.writerIndex() > at && (sample.getByte(at) & 0x1F) == 7;
  }

  @Override
  public boolean video() {
    return true;
  }

  @Override
  public int timescale() {
    return TIMESCALE;
  }

  @Override
  public String codecs() {
    return CodecStrings.avc(Unpooled.wrappedBuffer(configurationRecord));
  }

  @Override
  public void write(ByteBuf out) {
    SampleEntry.writeVisual(out, "avc1", width, height, "avcC", configurationRecord);
  }
}
