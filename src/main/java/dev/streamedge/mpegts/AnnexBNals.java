package dev.streamedge.mpegts;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an access unit in the byte stream format of ITU-T H.264 Annex B (and H.265 Annex B) into
 * its NAL units: each follows a start code 00 00 01 and ends before the next one; the zero bytes
 * before a start code (the fourth byte of 00 00 00 01, trailing_zero_8bits) belong to no NAL unit,
 * as a NAL unit never ends in a zero byte (§7.4.1: rbsp_trailing_bits, and cabac_zero_words are
 * escaped as 00 00 03).
 */
public final class AnnexBNals {

  /** The largest composition time FLV's signed 24 bits hold. */
  private static final int MAX_CTS = (1 << 23) - 1;

  private AnnexBNals() {
  }

  /** Slices of {@code au}'s readable bytes, one per non-empty NAL unit, in order. */
  public static List<ByteBuf> split(ByteBuf au) {
    List<ByteBuf> nals = new ArrayList<>();
    int end = au.writerIndex();
    int start = nextStart(au, au.readerIndex(), end);
    while (start < end) {
      int next = nextStart(au, start, end);
      int nalEnd = next == end ? end : next - 3;
      while (nalEnd > start && au.getByte(nalEnd - 1) == 0) {
        nalEnd--;
      }
      if (nalEnd > start) {
        nals.add(au.slice(start, nalEnd - start));
      }
      start = next;
    }
    return nals;
  }

  /** The bytes {@code nals} take as length-prefixed NAL units (ISO/IEC 14496-15 §5.3.2, 4-byte lengths). */
  static int lengthPrefixedSize(List<ByteBuf> nals) {
    int size = 0;
    for (ByteBuf nal : nals) {
      size += 4 + nal.readableBytes();
    }
    return size;
  }

  /** Writes {@code nals} to {@code out} each after its 4-byte length, as FLV's AVC and HEVC frames carry them. */
  static void writeLengthPrefixed(ByteBuf out, List<ByteBuf> nals) {
    for (ByteBuf nal : nals) {
      out.writeInt(nal.readableBytes());
      out.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
    }
  }

  /** A composition time clamped to FLV's SI24, as written with {@link ByteBuf#writeMedium}. */
  static int compositionTime(long ctsMs) {
    return (int) Math.max(-MAX_CTS - 1, Math.min(MAX_CTS, ctsMs));
  }

  /** The index after the next start code at or after {@code from}, or {@code end} when there is none. */
  private static int nextStart(ByteBuf au, int from, int end) {
    int zeros = 0;
    for (int i = from; i < end; i++) {
      byte b = au.getByte(i);
      if (b == 1 && zeros >= 2) {
        return i + 1;
      }
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return end;
  }
}
