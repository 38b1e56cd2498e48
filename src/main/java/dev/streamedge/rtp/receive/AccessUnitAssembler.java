package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@link H264Depacketizer} and {@link H265Depacketizer} share: the access unit being built from the NAL
 * units their payload structures carry, and when it ends. The packets of an access unit share its RTP timestamp,
 * and its last one carries the marker bit (RFC 6184 §5.1, RFC 7798 §4.1); when the marker is lost, the next
 * timestamp ends it instead. A fragmented NAL unit (FU-A, RFC 6184 §5.8; FU, RFC 7798 §4.4.3) is kept only when
 * all its fragments came in sequence: a gap in the sequence numbers (RFC 3550 §5.1, 16 bits, wrapping), a
 * continuation without its start, or a start that never ends drops it and counts it lost. An access unit that
 * would grow past the maximum is dropped whole, and the rest of its packets are ignored.
 *
 * <p>The NAL units go into one buffer, reused from unit to unit, and each access unit is copied once out of it.
 * Not thread-safe.
 */
final class AccessUnitAssembler {

  /** {@code 00 00 00 01}. */
  private static final int START_CODE = 1;
  private static final int START_CODE_LENGTH = 4;

  private final int maxFrameSize;
  private final Consumer<AccessUnit> out;
  /** The Annex B bytes of the access unit being built. */
  private final ByteBuf unit;
  /** Whether packets of an access unit have come (its timestamp is {@link #timestamp}). */
  private boolean open;
  private long timestamp;
  /** Whether the access unit being read went past the maximum: the rest of its packets are ignored. */
  private boolean dropping;
  /** The sequence number the next packet should have; -1 before the first. */
  private int expectedSequence = -1;
  /** Where the fragmented NAL unit being joined starts in {@link #unit} (its start code); -1 when none is. */
  private int fragmentStart = -1;
  /** Whether the fragments coming are the rest of a NAL unit already counted lost. */
  private boolean skipping;
  private long lost;
  private long oversized;
  private long malformed;

  /** @param maxFrameSize the most Annex B bytes an access unit may have, start codes included */
  AccessUnitAssembler(int maxFrameSize, Consumer<AccessUnit> out) {
    if (maxFrameSize < 1) {
      throw new IllegalArgumentException("max frame size " + maxFrameSize);
    }
    this.maxFrameSize = maxFrameSize;
    this.out = Objects.requireNonNull(out, "out");
    unit = Unpooled.buffer(Math.min(maxFrameSize, 64 * 1024), maxFrameSize);
  }

  /**
   * Takes in a packet's header, before its payload: a sequence gap drops a fragmented NAL unit being joined, and
   * another timestamp ends the access unit being built.
   *
   * @return whether the payload is to be read: not when its access unit is being dropped
   */
  boolean begin(RtpPacket packet) {
    int sequence = packet.sequence();
    if (expectedSequence >= 0 && sequence != expectedSequence && fragmentStart >= 0) {
      dropFragment();
    }
    expectedSequence = (sequence + 1) & 0xFFFF;
    if (open && packet.timestamp() != timestamp) {
      complete();
    }
    if (!open) {
      open = true;
      timestamp = packet.timestamp();
    }
    return !dropping;
  }

  /** After a packet's payload: its marker bit ends the access unit. */
  void end(RtpPacket packet) {
    if (packet.marker()) {
      complete();
    }
  }

  /** Adds the whole NAL unit of {@code length} bytes at {@code index} of {@code src}. */
  void nal(ByteBuf src, int index, int length) {
    if (dropping) {
      return;
    }
    if (fragmentStart >= 0) {
      dropFragment(); // another NAL unit came before its end
    }
    skipping = false;
    if (fits(START_CODE_LENGTH + length)) {
      unit.writeInt(START_CODE);
      unit.writeBytes(src, index, length);
    }
  }

  /**
   * Adds a fragment of a NAL unit: the {@code length} bytes at {@code index} of {@code src}, which follow the
   * NAL unit header in the first fragment.
   *
   * @param start the S bit: the first fragment, behind which {@code header} is rebuilt
   * @param end the E bit: the last fragment (both bits set: a NAL unit in one fragment, taken as it is)
   * @param header the NAL unit header rebuilt from the fragment's headers, {@code headerLength} bytes (1 or 2)
   */
  void fragment(boolean start, boolean end, int header, int headerLength, ByteBuf src, int index, int length) {
    if (dropping) {
      return;
    }
    if (start) {
      if (fragmentStart >= 0) {
        dropFragment(); // the previous one never ended
      }
      skipping = false;
      if (!fits(START_CODE_LENGTH + headerLength + length)) {
        return;
      }
      fragmentStart = unit.writerIndex();
      unit.writeInt(START_CODE);
      if (headerLength == 1) {
        unit.writeByte(header);
      } else {
        unit.writeShort(header);
      }
    } else if (fragmentStart < 0) {
      // A continuation without its start: counted once per NAL unit, the rest of which is then skipped.
      if (!skipping) {
        lost++;
      }
      skipping = !end;
      return;
    } else if (!fits(length)) {
      return;
    }
    unit.writeBytes(src, index, length);
    if (end) {
      fragmentStart = -1;
    }
  }

  /**
   * Whether the bytes from {@code at} to {@code end} are aggregated NAL units (STAP-A, RFC 6184 §5.7.1; AP, RFC
   * 7798 §4.4.2): at least one, each behind its 16-bit size, of at least {@code minSize} bytes (its header), the
   * last ending at {@code end}.
   */
  static boolean sizesFit(ByteBuf src, int at, int end, int minSize) {
    if (at >= end) {
      return false;
    }
    while (at < end) {
      if (end - at < 2) {
        return false;
      }
      int size = src.getUnsignedShort(at);
      if (size < minSize || size > end - at - 2) {
        return false;
      }
      at += 2 + size;
    }
    return true;
  }

  /** Counts a payload the depacketizer could not read. */
  void countMalformed() {
    malformed++;
  }

  /** Emits the access unit being built, if it has anything, and starts afresh: the end of the stream. */
  void flush() {
    complete();
    expectedSequence = -1;
  }

  long lost() {
    return lost;
  }

  long oversized() {
    return oversized;
  }

  long malformed() {
    return malformed;
  }

  /** Whether {@code bytes} more fit in the access unit; when not, drops it whole. */
  private boolean fits(int bytes) {
    if (unit.writerIndex() + bytes <= maxFrameSize) {
      return true;
    }
    oversized++;
    dropping = true;
    unit.clear();
    fragmentStart = -1;
    skipping = false;
    return false;
  }

  /** Drops the fragmented NAL unit being joined, and skips the rest of its fragments. */
  private void dropFragment() {
    unit.writerIndex(fragmentStart);
    fragmentStart = -1;
    skipping = true;
    lost++;
  }

  /** Ends the access unit: emits what it has (a fragmented NAL unit not ended is dropped) and starts afresh. */
  private void complete() {
    if (fragmentStart >= 0) {
      dropFragment();
    }
    AccessUnit done = open && unit.isReadable() ? new AccessUnit(timestamp, Unpooled.copiedBuffer(unit)) : null;
    unit.clear();
    open = false;
    dropping = false;
    skipping = false;
    if (done != null) {
      out.accept(done);
    }
  }
}
