package dev.streamedge.media.codec;

import dev.streamedge.flv.ExVideoPacket;
import dev.streamedge.flv.FlvAudioPacket;
import dev.streamedge.flv.FlvVideoPacket;
import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Locale;
import java.util.Optional;

/**
 * The RFC 6381 {@code codecs} parameter of a stream, as HLS master playlists list it
 * (RFC 8216 §4.3.4.2 CODECS), from the FLV sequence headers the publisher sent: AVC, and the HEVC and
 * AV1 of Enhanced RTMP, which a master playlist lists when the source is copied as its top variant.
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
      if (packet.isEmpty()) {
        return enhanced(body);
      }
      if (packet.get().packetType() != FlvVideoPacket.SEQUENCE_HEADER) {
        return Optional.empty();
      }
      ByteBuf record = packet.get().data();
      AvcConfig.parse(record);
      return Optional.of(avc(record));
    } catch (MediaFormatException | IndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  /** {@code avc1.PPCCLL} from an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.2.4.1, RFC 6381 §3.3). */
  public static String avc(ByteBuf record) {
    int at = record.readerIndex();
    return String.format(Locale.ROOT, "avc1.%02x%02x%02x", record.getUnsignedByte(at + 1),
        record.getUnsignedByte(at + 2), record.getUnsignedByte(at + 3));
  }

  /**
   * {@code vp09.PP.LL.DD} from the content of a vpcC box, version and flags first ("VP Codec ISO Media File
   * Format Binding" §2.2 and Codecs Parameter String): profile, level and bit depth, two digits each.
   */
  public static String vp9(ByteBuf vpcC) {
    int at = vpcC.readerIndex();
    return String.format(Locale.ROOT, "vp09.%02d.%02d.%02d", vpcC.getUnsignedByte(at + 4),
        vpcC.getUnsignedByte(at + 5), vpcC.getUnsignedByte(at + 6) >>> 4);
  }

  /**
   * {@code mp4a.40.<audio object type>} from an AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1, RFC 6381
   * §3.3), the escape to a 6-bit extension (31) read too.
   */
  public static String aac(ByteBuf audioSpecificConfig) {
    int at = audioSpecificConfig.readerIndex();
    int type = audioSpecificConfig.getUnsignedByte(at) >>> 3;
    if (type == 31) {
      type = 32 + (((audioSpecificConfig.getUnsignedByte(at) & 0x07) << 3)
          | (audioSpecificConfig.getUnsignedByte(at + 1) >>> 5));
    }
    return "mp4a.40." + type;
  }

  /** An Enhanced RTMP sequence start: {@code hvc1.*} or {@code av01.*}; empty for other codecs. */
  private static Optional<String> enhanced(ByteBuf body) throws MediaFormatException {
    Optional<ExVideoPacket> packet = ExVideoPacket.parse(body);
    if (packet.isEmpty() || packet.get().packetType() != ExVideoPacket.SEQUENCE_START) {
      return Optional.empty();
    }
    ByteBuf record = packet.get().data();
    return switch (packet.get().fourCc()) {
      case "hvc1", "hev1" -> Optional.of(hevc(record));
      case "av01" -> Optional.of(av1(record));
      default -> Optional.empty();
    };
  }

  /**
   * ISO/IEC 14496-15 Annex E.3, from the HEVCDecoderConfigurationRecord's fixed bytes (§8.3.3.1.2):
   * profile space (none, A, B, C) and profile_idc, the 32 compatibility flags bit-reversed in hex, the
   * tier (L or H) and level_idc, then the six constraint bytes in hex, trailing zero bytes left out.
   */
  public static String hevc(ByteBuf record) {
    int at = record.readerIndex();
    int first = record.getUnsignedByte(at + 1);
    StringBuilder out = new StringBuilder("hvc1.");
    int space = first >>> 6;
    if (space > 0) {
      out.append((char) ('A' + space - 1));
    }
    out.append(first & 0x1F).append('.')
        .append(Integer.toHexString(Integer.reverse(record.getInt(at + 2)))).append('.')
        .append((first & 0x20) != 0 ? 'H' : 'L').append(record.getUnsignedByte(at + 12));
    int last = 5;
    while (last >= 0 && record.getUnsignedByte(at + 6 + last) == 0) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      out.append('.').append(String.format(Locale.ROOT, "%02X", record.getUnsignedByte(at + 6 + i)));
    }
    return out.toString();
  }

  /**
   * AV1 Codec ISO Media File Format Binding §5 (codecs parameter), from the AV1CodecConfigurationRecord:
   * {@code av01.<profile>.<level><tier>.<bit depth>}.
   */
  public static String av1(ByteBuf record) {
    int at = record.readerIndex();
    int first = record.getUnsignedByte(at + 1);
    int second = record.getUnsignedByte(at + 2);
    boolean high = (second & 0x40) != 0;
    boolean twelve = (second & 0x20) != 0;
    int depth = !high ? 8 : twelve && (first >>> 5) == 2 ? 12 : 10;
    return String.format(Locale.ROOT, "av01.%d.%02d%c.%02d", first >>> 5, first & 0x1F,
        (second & 0x80) != 0 ? 'H' : 'M', depth);
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
