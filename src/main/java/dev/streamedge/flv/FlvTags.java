package dev.streamedge.flv;

import io.netty.buffer.ByteBuf;

/**
 * Reads the first bytes of an FLV tag body (the payload of an RTMP audio or video message) to tell
 * keyframes and codec configuration apart. Bodies of any codec pass through untouched; only these
 * flags are read.
 *
 * <p>Legacy layout: FLV spec v10.1 §E.4.2.1 (AUDIODATA) and §E.4.3.1 (VIDEODATA). Enhanced RTMP v1
 * (veovera) sets the top bit of the video byte (IsExHeader) and puts a packet type in its low nibble;
 * for audio, SoundFormat 9 announces an ExAudioTagHeader with the packet type in the low nibble.
 */
public final class FlvTags {

  private static final int VIDEO_FRAME_KEY = 1;
  private static final int VIDEO_FRAME_COMMAND = 5;
  private static final int VIDEO_CODEC_AVC = 7;
  private static final int VIDEO_CODEC_HEVC_LEGACY = 12;
  private static final int AUDIO_FORMAT_AAC = 10;
  private static final int AUDIO_FORMAT_EX_HEADER = 9;
  private static final int EX_PACKET_SEQUENCE_START = 0;
  private static final int EX_PACKET_CODED_FRAMES = 1;
  private static final int EX_PACKET_CODED_FRAMES_X = 3;
  private static final int AVC_PACKET_SEQUENCE_HEADER = 0;
  private static final int AVC_PACKET_NALU = 1;

  private FlvTags() {
  }

  /**
   * A video body that starts a decodable sequence: a keyframe carrying coded frames, not codec
   * configuration nor an end-of-sequence marker.
   */
  public static boolean isVideoKeyframe(ByteBuf body) {
    if (!body.isReadable()) {
      return false;
    }
    int first = body.getUnsignedByte(body.readerIndex());
    if (frameType(first) != VIDEO_FRAME_KEY) {
      return false;
    }
    if ((first & 0x80) != 0) {
      int packetType = first & 0x0F;
      return packetType == EX_PACKET_CODED_FRAMES || packetType == EX_PACKET_CODED_FRAMES_X;
    }
    int codec = first & 0x0F;
    if (codec == VIDEO_CODEC_AVC || codec == VIDEO_CODEC_HEVC_LEGACY) {
      return body.readableBytes() > 1
          && body.getUnsignedByte(body.readerIndex() + 1) == AVC_PACKET_NALU;
    }
    return true;
  }

  /** A video body carrying codec configuration (AVCDecoderConfigurationRecord or its enhanced kin). */
  public static boolean isVideoSequenceHeader(ByteBuf body) {
    if (!body.isReadable()) {
      return false;
    }
    int first = body.getUnsignedByte(body.readerIndex());
    if ((first & 0x80) != 0) {
      return (first & 0x0F) == EX_PACKET_SEQUENCE_START && frameType(first) != VIDEO_FRAME_COMMAND;
    }
    int codec = first & 0x0F;
    // With frame type 5 the next byte is a video command (0 = start of seek), not an AVCPacketType.
    return frameType(first) != VIDEO_FRAME_COMMAND
        && (codec == VIDEO_CODEC_AVC || codec == VIDEO_CODEC_HEVC_LEGACY)
        && body.readableBytes() > 1
        && body.getUnsignedByte(body.readerIndex() + 1) == AVC_PACKET_SEQUENCE_HEADER;
  }

  /** An audio body carrying codec configuration (AudioSpecificConfig or its enhanced kin). */
  public static boolean isAudioSequenceHeader(ByteBuf body) {
    if (!body.isReadable()) {
      return false;
    }
    int first = body.getUnsignedByte(body.readerIndex());
    int format = first >>> 4;
    if (format == AUDIO_FORMAT_EX_HEADER) {
      return (first & 0x0F) == EX_PACKET_SEQUENCE_START;
    }
    return format == AUDIO_FORMAT_AAC
        && body.readableBytes() > 1
        && body.getUnsignedByte(body.readerIndex() + 1) == 0;
  }

  private static int frameType(int first) {
    return (first & 0x80) != 0 ? (first >>> 4) & 0x07 : first >>> 4;
  }
}
