package dev.streamedge.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * MP4 samples as FLV tag bodies (Adobe FLV spec v10.1, §E.4.2.1 AUDIODATA, §E.4.3.1 VIDEODATA). An MP4
 * H.264 sample is already what an AVC NALU tag carries: NAL units each prefixed by its length, in the size
 * the avcC names (ISO/IEC 14496-15 §5.3.4.2), so the bytes pass unchanged; so do AAC's raw frames.
 */
public final class Mp4Tags {

  private Mp4Tags() {
  }

  /**
   * The VideoTagBody of {@code sample}: frame type (1 keyframe, 2 inter frame) with codec 7 (AVC), packet
   * type 1 (NALU), the composition offset as a signed 24-bit big-endian int, then {@code data}, whose
   * ownership passes to the returned (composite) buffer.
   */
  public static ByteBuf video(Mp4Sample sample, ByteBuf data) {
    ByteBuf head = Unpooled.buffer(5, 5);
    head.writeByte(sample.keyframe() ? 0x17 : 0x27).writeByte(1).writeMedium(sample.compositionOffset());
    return Unpooled.wrappedBuffer(head, data);
  }

  /** The AudioTagBody of an AAC frame: 0xAF (AAC, 44 kHz, 16-bit, stereo as the spec fixes), packet type 1 (raw). */
  public static ByteBuf audio(ByteBuf data) {
    ByteBuf head = Unpooled.buffer(2, 2);
    head.writeByte(0xAF).writeByte(1);
    return Unpooled.wrappedBuffer(head, data);
  }
}
