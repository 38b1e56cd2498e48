package dev.streamedge.media.codec;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * The frame size of a VP9 keyframe, from its uncompressed header (VP9 Bitstream Specification
 * §6.2): VP9's configuration record ({@code vpcC}) has no picture size, so a VP9 track learns it from
 * its first keyframe.
 */
public record Vp9FrameSize(int width, int height) {

  private static final int SYNC_CODE = 0x498342;
  /** marker, profile, show_existing_frame, type, flags, sync code, color config, size: 11 bytes at most. */
  private static final int HEADER_BYTES = 11;

  /** Reads the readable bytes of {@code frame}, left untouched; fails when it is not a keyframe. */
  public static Vp9FrameSize parse(ByteBuf frame) throws MediaFormatException {
    int length = Math.min(frame.readableBytes(), HEADER_BYTES);
    BitReader in = new BitReader(ByteBufUtil.getBytes(frame, frame.readerIndex(), length));
    if (in.bits(2) != 2) {
      throw new MediaFormatException("VP9 frame_marker missing");
    }
    int profile = in.bit() | in.bit() << 1;
    if (profile == 3) {
      in.skip(1); // reserved_zero
    }
    if (in.bit() == 1) {
      throw new MediaFormatException("VP9 show_existing_frame is not a keyframe");
    }
    if (in.bit() != 0) {
      throw new MediaFormatException("VP9 inter frame has no frame size of its own");
    }
    in.skip(2); // show_frame, error_resilient_mode
    if (in.bits(24) != SYNC_CODE) {
      throw new MediaFormatException("VP9 keyframe without its sync code");
    }
    // color_config(), §6.2.2.
    if (profile >= 2) {
      in.skip(1); // ten_or_twelve_bit
    }
    boolean rgb = in.bits(3) == 7; // color_space CS_RGB
    if (!rgb) {
      in.skip(1); // color_range
    }
    if (profile == 1 || profile == 3) {
      in.skip(rgb ? 1 : 3); // subsampling_x, subsampling_y, reserved_zero; or reserved_zero
    }
    return new Vp9FrameSize(in.bits(16) + 1, in.bits(16) + 1);
  }
}
