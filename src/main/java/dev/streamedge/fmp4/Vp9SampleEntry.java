package dev.streamedge.fmp4;

import dev.streamedge.media.codec.CodecStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A VP9 track: {@code vp09} with a {@code vpcC} box ("VP Codec ISO Media File Format Binding" §2.2),
 * at 90 kHz. Enhanced RTMP's vp09 sequence start carries the vpcC box's content, version and flags
 * included, so it is written verbatim.
 *
 * @param vpcC the box content as the sequence start carries it (do not modify)
 * @param width from the first keyframe, see {@link dev.streamedge.media.codec.Vp9FrameSize}
 */
public record Vp9SampleEntry(byte[] vpcC, int width, int height) implements SampleEntry {

  @Override
  public boolean video() {
    return true;
  }

  @Override
  public int timescale() {
    return AvcSampleEntry.TIMESCALE;
  }

  /** The same track with the picture size learnt from a keyframe. */
  public Vp9SampleEntry withSize(int newWidth, int newHeight) {
    return new Vp9SampleEntry(vpcC, newWidth, newHeight);
  }

  @Override
  public String codecs() {
    return CodecStrings.vp9(Unpooled.wrappedBuffer(vpcC));
  }

  @Override
  public void write(ByteBuf out) {
    SampleEntry.writeVisual(out, "vp09", width, height, "vpcC", vpcC);
  }
}
