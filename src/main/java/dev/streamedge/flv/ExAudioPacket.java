package dev.streamedge.flv;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * An Enhanced RTMP audio body (Enhanced RTMP v2, ExAudioTagHeader): SoundFormat 9, a packet type and
 * a FourCC. Only single-track sequence starts and coded frames are read.
 *
 * @param packetType {@link #SEQUENCE_START} or {@link #CODED_FRAMES}
 * @param fourCc the codec: {@code Opus}, {@code mp4a}, {@code fLaC}, {@code ac-3}, ...
 * @param data a slice of the body: the codec's header (for Opus, the OpusHead) or one frame
 */
public record ExAudioPacket(int packetType, String fourCc, ByteBuf data) {

  public static final int SEQUENCE_START = 0;
  public static final int CODED_FRAMES = 1;
  private static final int SOUND_FORMAT_EX_HEADER = 9;
  private static final int HEADER_LENGTH = 5;

  /**
   * Reads a body without copying; empty when it is not an enhanced audio header, or another packet
   * type.
   *
   * @throws MediaFormatException when the header is truncated
   */
  public static Optional<ExAudioPacket> parse(ByteBuf body) throws MediaFormatException {
    if (!body.isReadable()) {
      return Optional.empty();
    }
    int start = body.readerIndex();
    int first = body.getUnsignedByte(start);
    int packetType = first & 0x0F;
    if (first >>> 4 != SOUND_FORMAT_EX_HEADER || packetType != SEQUENCE_START && packetType != CODED_FRAMES) {
      return Optional.empty();
    }
    if (body.readableBytes() < HEADER_LENGTH) {
      throw new MediaFormatException("enhanced audio tag of " + body.readableBytes() + " bytes");
    }
    return Optional.of(new ExAudioPacket(packetType, FourCc.read(body, start + 1),
        body.slice(start + HEADER_LENGTH, body.readableBytes() - HEADER_LENGTH)));
  }
}
