package dev.streamedge.flv;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * An Enhanced RTMP video body (Veovera Enhanced RTMP v1 and v2, ExVideoTagHeader): IsExHeader set,
 * the frame type, a packet type and a FourCC instead of a codec id. Only single-track sequence starts
 * and coded frames are read; metadata, multitrack, ModEx and command frames are left to the caller
 * to skip.
 *
 * @param frameType 1 = keyframe, 2 = inter frame
 * @param packetType {@link #SEQUENCE_START} or {@link #CODED_FRAMES}
 * @param fourCc the codec: {@code hvc1}, {@code av01}, {@code vp09}, {@code avc1}
 * @param compositionTimeMs PTS − DTS in milliseconds (only avc1 and hvc1 CodedFrames carry one)
 * @param data a slice of the body: the codec's configuration record, or the coded frame
 */
public record ExVideoPacket(int frameType, int packetType, String fourCc, int compositionTimeMs, ByteBuf data) {

  public static final int SEQUENCE_START = 0;
  public static final int CODED_FRAMES = 1;
  private static final int CODED_FRAMES_X = 3;
  private static final int FRAME_KEY = 1;
  private static final int FRAME_COMMAND = 5;
  private static final int HEADER_LENGTH = 5;

  /**
   * Reads a body without copying; empty when it is not an enhanced header, or a packet type other
   * than a sequence start or coded frames.
   *
   * @throws MediaFormatException when the packet is truncated
   */
  public static Optional<ExVideoPacket> parse(ByteBuf body) throws MediaFormatException {
    if (!body.isReadable()) {
      return Optional.empty();
    }
    int start = body.readerIndex();
    int first = body.getUnsignedByte(start);
    int frameType = first >>> 4 & 0x07;
    int packetType = first & 0x0F;
    if ((first & 0x80) == 0 || frameType == FRAME_COMMAND
        || packetType != SEQUENCE_START && packetType != CODED_FRAMES && packetType != CODED_FRAMES_X) {
      return Optional.empty();
    }
    if (body.readableBytes() < HEADER_LENGTH) {
      throw new MediaFormatException("enhanced video tag of " + body.readableBytes() + " bytes");
    }
    String fourCc = FourCc.read(body, start + 1);
    int offset = HEADER_LENGTH;
    int compositionTime = 0;
    // CompositionTime (SI24) only with CodedFrames of avc1 and hvc1; CodedFramesX means it is 0.
    if (packetType == CODED_FRAMES && (fourCc.equals("avc1") || fourCc.equals("hvc1"))) {
      if (body.readableBytes() < HEADER_LENGTH + 3) {
        throw new MediaFormatException("enhanced " + fourCc + " frame without its composition time");
      }
      compositionTime = body.getMedium(start + HEADER_LENGTH);
      offset += 3;
    }
    ByteBuf data = body.slice(start + offset, body.readableBytes() - offset);
    return Optional.of(new ExVideoPacket(frameType, packetType == CODED_FRAMES_X ? CODED_FRAMES : packetType,
        fourCc, compositionTime, data));
  }

  public boolean keyframe() {
    return frameType == FRAME_KEY;
  }
}
