package dev.streamedge.flv;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * A legacy FLV VIDEODATA body carrying AVC (FLV spec v10.1 §E.4.3.1, AVCVIDEOPACKET).
 *
 * @param frameType 1 = keyframe, 2 = inter frame, 3 = disposable inter frame, 4 = generated keyframe
 * @param packetType {@link #SEQUENCE_HEADER}, {@link #NALU} or {@link #END_OF_SEQUENCE}
 * @param compositionTimeMs PTS − DTS in milliseconds (SI24), 0 unless {@link #NALU}
 * @param data a slice of the body: the AVCDecoderConfigurationRecord or length-prefixed NAL units
 */
public record FlvVideoPacket(int frameType, int packetType, int compositionTimeMs, ByteBuf data) {

  public static final int SEQUENCE_HEADER = 0;
  public static final int NALU = 1;
  public static final int END_OF_SEQUENCE = 2;
  private static final int CODEC_AVC = 7;
  private static final int FRAME_KEY = 1;
  private static final int FRAME_COMMAND = 5;
  private static final int HEADER_LENGTH = 5;

  /**
   * Reads a body without copying; empty when it is not a legacy AVC packet (other codecs, the
   * enhanced RTMP header, video command frames), which callers skip.
   *
   * @throws MediaFormatException when an AVC packet is truncated or has an unknown AVCPacketType
   */
  public static Optional<FlvVideoPacket> parse(ByteBuf body) throws MediaFormatException {
    if (!body.isReadable()) {
      return Optional.empty();
    }
    int start = body.readerIndex();
    int first = body.getUnsignedByte(start);
    int frameType = first >>> 4;
    // Bit 7 set is enhanced RTMP's IsExHeader, with a FourCC instead of a codec id.
    if ((first & 0x80) != 0 || (first & 0x0F) != CODEC_AVC || frameType == FRAME_COMMAND) {
      return Optional.empty();
    }
    if (body.readableBytes() < HEADER_LENGTH) {
      throw new MediaFormatException("AVC video tag of " + body.readableBytes() + " bytes, header needs " + HEADER_LENGTH);
    }
    int packetType = body.getUnsignedByte(start + 1);
    if (packetType > END_OF_SEQUENCE) {
      throw new MediaFormatException("unknown AVCPacketType " + packetType);
    }
    // SI24: sign-extend the 24-bit value.
    int compositionTime = body.getMedium(start + 2);
    ByteBuf data = body.slice(start + HEADER_LENGTH, body.readableBytes() - HEADER_LENGTH);
    return Optional.of(new FlvVideoPacket(frameType, packetType, compositionTime, data));
  }

  public boolean keyframe() {
    return frameType == FRAME_KEY;
  }
}
