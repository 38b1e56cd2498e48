package dev.streamedge.media.codec;

import dev.streamedge.flv.FlvAudioPacket;
import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Locale;
import java.util.Optional;

/**
 * The RFC 6381 {@code codecs} parameter of a stream, as HLS master playlists list it
 * (RFC 8216 §4.3.4.2 CODECS), from the FLV sequence headers the publisher sent.
 */
public final class CodecStrings {

  private CodecStrings() {
  }

  /**
   * {@code avc1.PPCCLL} from an FLV AVC sequence header body: profile_idc, the constraint flags byte and
   * level_idc of the AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.2.4.1, RFC 6381 §3.3), which
   * copy those of the SPS. Empty for another codec or an unreadable header.
   */
  public static Optional<String> video(ByteBuf body) {
    try {
      Optional<FlvVideoPacket> packet = FlvVideoPacket.parse(body);
      if (packet.isEmpty() || packet.get().packetType() != FlvVideoPacket.SEQUENCE_HEADER) {
        return Optional.empty();
      }
      ByteBuf record = packet.get().data();
      AvcConfig.parse(record);
      int at = record.readerIndex();
      return Optional.of(String.format(Locale.ROOT, "avc1.%02x%02x%02x", record.getUnsignedByte(at + 1),
          record.getUnsignedByte(at + 2), record.getUnsignedByte(at + 3)));
    } catch (MediaFormatException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  /** {@code mp4a.40.<audio object type>} from an FLV AAC sequence header body (RFC 6381 §3.3); empty otherwise. */
  public static Optional<String> audio(ByteBuf body) {
    try {
      Optional<FlvAudioPacket> packet = FlvAudioPacket.parse(body);
      if (packet.isEmpty() || packet.get().packetType() != FlvAudioPacket.SEQUENCE_HEADER) {
        return Optional.empty();
      }
      return Optional.of("mp4a.40." + AacConfig.parse(packet.get().data()).objectType());
    } catch (MediaFormatException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }
}
