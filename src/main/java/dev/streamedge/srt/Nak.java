package dev.streamedge.srt;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * NAK, loss report (§3.2.5). On the wire a single lost sequence number is one word with the top bit
 * clear; a range is two words, the first with the top bit set (§3.2.5.1, Figure 17), the second
 * clear. A range of one number is written as a single.
 */
public record Nak(int timestamp, int destinationSocket, List<SeqRange> ranges) implements SrtPacket {

  private static final int RANGE_FIRST = 0x80000000;

  public Nak {
    ranges = List.copyOf(ranges);
  }

  /** Bytes of control information {@code ranges} take. */
  public static int length(List<SeqRange> ranges) {
    int length = 0;
    for (SeqRange range : ranges) {
      length += range.from() == range.to() ? 4 : 8;
    }
    return length;
  }

  @Override
  public void encodeTo(ByteBuf out) {
    SrtEncoder.controlHeader(out, TYPE_NAK, 0, 0, timestamp, destinationSocket);
    for (SeqRange range : ranges) {
      if (range.from() == range.to()) {
        out.writeInt(range.from());
      } else {
        out.writeInt(range.from() | RANGE_FIRST);
        out.writeInt(range.to());
      }
    }
  }

  static boolean isRangeFirst(int word) {
    return (word & RANGE_FIRST) != 0;
  }
}
