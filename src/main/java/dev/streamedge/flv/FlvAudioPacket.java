package dev.streamedge.flv;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * A legacy FLV AUDIODATA body carrying AAC (FLV spec v10.1 §E.4.2.1, AACAUDIODATA).
 *
 * @param packetType {@link #SEQUENCE_HEADER} or {@link #RAW}
 * @param data a slice of the body: the AudioSpecificConfig or one raw AAC frame
 */
public record FlvAudioPacket(int packetType, ByteBuf data) {

  public static final int SEQUENCE_HEADER = 0;
  public static final int RAW = 1;
  private static final int FORMAT_AAC = 10;
  private static final int HEADER_LENGTH = 2;

  /**
   * Reads a body without copying; empty when it is not AAC (other formats, including enhanced RTMP's
   * SoundFormat 9), which callers skip.
   *
   * @throws MediaFormatException when an AAC packet is truncated or has an unknown AACPacketType
   */
  public static Optional<FlvAudioPacket> parse(ByteBuf body) throws MediaFormatException {
    if (!body.isReadable() || body.getUnsignedByte(body.readerIndex()) >>> 4 != FORMAT_AAC) {
      return Optional.empty();
    }
    if (body.readableBytes() < HEADER_LENGTH) {
      throw new MediaFormatException("AAC audio tag without AACPacketType");
    }
    int packetType = body.getUnsignedByte(body.readerIndex() + 1);
    if (packetType > RAW) {
      throw new MediaFormatException("unknown AACPacketType " + packetType);
    }
    ByteBuf data = body.slice(body.readerIndex() + HEADER_LENGTH, body.readableBytes() - HEADER_LENGTH);
    return Optional.of(new FlvAudioPacket(packetType, data));
  }
}
