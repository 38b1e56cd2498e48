package dev.streamedge.media.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Real codec configurations, as libx264 and ffmpeg's AAC encoder wrote them into TestMedia files. */
public final class CodecBytes {

  /** AVCDecoderConfigurationRecord of TestMedia.audioVideo: Main profile, level 3.0, 640x360 (cropped from 368). */
  public static final String AVC_MAIN_640X360 =
      "014d401effe10018674d401eeca05017fcb808800000030080000019078b16cb01000468efbc80";
  /** AVCDecoderConfigurationRecord of TestMedia.videoOnly: High profile (chroma fields), 320x240. */
  public static final String AVC_HIGH_320X240 =
      "0164000dffe100196764000dacd94141fb011000000300100000030320f142996001000468ef8fcbfdf8f800";
  /** AudioSpecificConfig of TestMedia.audioVideo: AAC LC, 44100 Hz, stereo, with an SBR sync extension. */
  public static final String AAC_LC_44100_STEREO = "121056e500";
  /** AudioSpecificConfig of TestMedia.audioOnly: AAC LC, 44100 Hz, mono. */
  public static final String AAC_LC_44100_MONO = "120856e500";

  private CodecBytes() {
  }

  public static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  public static ByteBuf buf(String hex) {
    return Unpooled.wrappedBuffer(bytes(hex));
  }
}
