package dev.streamedge.fmp4;

import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * An Opus track: {@code Opus} with a {@code dOps} box ("Encapsulation of Opus in ISO Base Media File
 * Format" §4.3), timed at 48 kHz whatever the input rate (§4.1). The fields come from the OpusHead
 * that Enhanced RTMP carries (RFC 7845 §5.1), which is little-endian; {@code dOps} is big-endian and
 * has no magic signature.
 *
 * @param channelMapping the stream count, coupled count and mapping table, empty for family 0 (do
 *     not modify)
 */
public record OpusSampleEntry(int channels, int preSkip, long inputSampleRate, int outputGain,
    int channelMappingFamily, byte[] channelMapping) implements SampleEntry {

  public static final int TIMESCALE = 48_000;
  private static final int OPUS_HEAD_LENGTH = 19;

  /** Reads an OpusHead (RFC 7845 §5.1) from the readable bytes of {@code head}, left untouched. */
  public static OpusSampleEntry fromOpusHead(ByteBuf head) throws MediaFormatException {
    int at = head.readerIndex();
    if (head.readableBytes() < OPUS_HEAD_LENGTH || head.getLong(at) != 0x4F70757348656164L) { // "OpusHead"
      throw new MediaFormatException("not an OpusHead");
    }
    if ((head.getUnsignedByte(at + 8) & 0xF0) != 0) {
      throw new MediaFormatException("OpusHead version " + head.getUnsignedByte(at + 8));
    }
    int channels = head.getUnsignedByte(at + 9);
    int family = head.getUnsignedByte(at + 18);
    byte[] mapping = new byte[0];
    if (family != 0) {
      if (head.readableBytes() < OPUS_HEAD_LENGTH + 2 + channels) {
        throw new MediaFormatException("OpusHead with mapping family " + family + " but no mapping table");
      }
      mapping = new byte[2 + channels];
      head.getBytes(at + OPUS_HEAD_LENGTH, mapping);
    }
    if (channels == 0) {
      throw new MediaFormatException("OpusHead with 0 channels");
    }
    return new OpusSampleEntry(channels, head.getUnsignedShortLE(at + 10), head.getUnsignedIntLE(at + 12),
        head.getShortLE(at + 16), family, mapping);
  }

  /**
   * Samples at 48 kHz in one Opus packet, from its TOC byte and frame count (RFC 6716 §3.1); 960
   * (20 ms) when the packet is too short to say.
   */
  public static int samples(ByteBuf packet) {
    if (!packet.isReadable()) {
      return 960;
    }
    int toc = packet.getUnsignedByte(packet.readerIndex());
    int config = toc >>> 3;
    // Frame sizes in units of 2.5 ms: SILK 10/20/40/60, Hybrid 10/20, CELT 2.5/5/10/20 (Table 2).
    int quarterMillis;
    if (config < 12) {
      quarterMillis = new int[] {4, 8, 16, 24}[config & 3];
    } else if (config < 16) {
      quarterMillis = (config & 1) == 0 ? 4 : 8;
    } else {
      quarterMillis = new int[] {1, 2, 4, 8}[config & 3];
    }
    int frames = switch (toc & 3) {
      case 0 -> 1;
      case 1, 2 -> 2;
      default -> packet.readableBytes() > 1 ? packet.getUnsignedByte(packet.readerIndex() + 1) & 0x3F : 1;
    };
    return quarterMillis * 120 * frames;
  }

  @Override
  public boolean video() {
    return false;
  }

  @Override
  public int timescale() {
    return TIMESCALE;
  }

  @Override
  public int width() {
    return 0;
  }

  @Override
  public int height() {
    return 0;
  }

  @Override
  public String codecs() {
    return "opus"; // Opus in ISOBMFF §4.2
  }

  @Override
  public void write(ByteBuf out) {
    int entry = Boxes.begin(out, "Opus");
    SampleEntry.writeAudioFields(out, channels, TIMESCALE);
    int dOps = Boxes.begin(out, "dOps");
    out.writeByte(0); // Version
    out.writeByte(channels); // OutputChannelCount
    out.writeShort(preSkip);
    out.writeInt((int) inputSampleRate);
    out.writeShort(outputGain);
    out.writeByte(channelMappingFamily);
    out.writeBytes(channelMapping); // StreamCount, CoupledCount, ChannelMapping[OutputChannelCount]
    Boxes.end(out, dOps);
    Boxes.end(out, entry);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OpusSampleEntry o && channels == o.channels && preSkip == o.preSkip
        && inputSampleRate == o.inputSampleRate && outputGain == o.outputGain
        && channelMappingFamily == o.channelMappingFamily && Arrays.equals(channelMapping, o.channelMapping);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(channelMapping) * 31 + channels;
  }
}
