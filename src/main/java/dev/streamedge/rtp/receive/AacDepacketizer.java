package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * AAC out of RTP (RFC 3640, mpeg4-generic): one track's packets in, in the order they came, its raw access units
 * out. A payload is the AU Header Section (§3.2.1: its length in bits in 16 bits, then one AU-header per access
 * unit: AU-size, and AU-Index in the first or AU-Index-delta in the others, padded to a byte), then the access
 * units one after the other (§3.2.3); the field sizes are the session's {@code sizelength}, {@code indexlength}
 * and {@code indexdeltalength} (AAC-hbr: 13, 3, 3; AAC-lbr: 6, 2, 2, §3.3.5 and §3.3.6). The first access unit
 * has the packet's timestamp, each next one {@code samplesPerFrame} later per step of its AU-Index (one step
 * when the delta is 0, as it is unless the sender interleaves: the units come out in the packet's order).
 *
 * <p>An access unit larger than a packet is fragmented (§3.2.3): packets of the same timestamp, each with a single
 * AU-header whose AU-size is the whole unit's and bigger than the data it carries, the last with the marker bit.
 * The fragments are joined in one buffer reused from unit to unit; a gap in the sequence numbers (RFC 3550 §5.1,
 * 16 bits, wrapping) or an end before the unit is whole drops it (lost), and so does a unit over the maximum
 * (oversized); the rest of a dropped unit's fragments are ignored. A header section that does not fit its
 * fields or the payload is counted malformed. Never throws on what a publisher sends. Not thread-safe.
 */
public final class AacDepacketizer {

  /** The AU-headers-length field. */
  private static final int HEADERS_LENGTH_FIELD = 2;

  private final int sizeLength;
  private final int indexLength;
  private final int indexDeltaLength;
  private final int samplesPerFrame;
  private final int maxFrameSize;
  private final Consumer<AacFrame> out;
  /** The fragments of the access unit being joined. */
  private final ByteBuf fragments;
  /** The AU-size of the fragmented access unit being joined; -1 when none is. */
  private int fragmentSize = -1;
  private long fragmentTimestamp;
  /** Whether the packets of {@link #skipTimestamp} are the rest of a dropped access unit. */
  private boolean skipping;
  private long skipTimestamp;
  /** The sequence number the next packet should have; -1 before the first. */
  private int expectedSequence = -1;
  private long lost;
  private long oversized;
  private long malformed;

  /**
   * @param sizeLength the bits of AU-size, 1..16
   * @param indexLength the bits of AU-Index, 0..16
   * @param indexDeltaLength the bits of AU-Index-delta, 0..16
   * @param samplesPerFrame the RTP timestamp units between consecutive access units (1024 for AAC-LC), at least 1
   * @param maxFrameSize the largest access unit kept, in bytes; larger ones are dropped
   * @param out given each access unit, in order, with a buffer of its own
   */
  public AacDepacketizer(int sizeLength, int indexLength, int indexDeltaLength, int samplesPerFrame,
      int maxFrameSize, Consumer<AacFrame> out) {
    if (sizeLength < 1 || sizeLength > 16 || indexLength < 0 || indexLength > 16 || indexDeltaLength < 0
        || indexDeltaLength > 16) {
      throw new IllegalArgumentException("AU-header of sizelength " + sizeLength + ", indexlength " + indexLength
          + ", indexdeltalength " + indexDeltaLength);
    }
    if (samplesPerFrame < 1 || maxFrameSize < 1) {
      throw new IllegalArgumentException("samples per frame " + samplesPerFrame + ", max frame " + maxFrameSize);
    }
    this.sizeLength = sizeLength;
    this.indexLength = indexLength;
    this.indexDeltaLength = indexDeltaLength;
    this.samplesPerFrame = samplesPerFrame;
    this.maxFrameSize = maxFrameSize;
    this.out = Objects.requireNonNull(out, "out");
    fragments = Unpooled.buffer(Math.min(maxFrameSize, 2048), maxFrameSize);
  }

  /**
   * A depacketizer for the session's {@code a=fmtp} parameters (RFC 3640 §4.1, keys lower-cased): {@code
   * sizelength} (required), {@code indexlength} and {@code indexdeltalength} (0 when absent), {@code
   * constantduration} as the samples per frame (1024 when absent).
   *
   * @throws RtpFormatException when {@code sizelength} is missing, a number is not one or out of range, or the
   *     AU-headers carry fields this reader does not read (CTS, DTS, random access, stream state, auxiliary data)
   */
  public static AacDepacketizer fromFmtp(Map<String, String> fmtp, int maxFrameSize, Consumer<AacFrame> out)
      throws RtpFormatException {
    if (!fmtp.containsKey("sizelength")) {
      throw new RtpFormatException("mpeg4-generic without sizelength");
    }
    int sizeLength = number(fmtp, "sizelength", 0, 1, 16);
    int indexLength = number(fmtp, "indexlength", 0, 0, 16);
    int indexDeltaLength = number(fmtp, "indexdeltalength", 0, 0, 16);
    int samplesPerFrame = number(fmtp, "constantduration", 1024, 1, 0xFFFF);
    for (String field : new String[] {"ctsdeltalength", "dtsdeltalength", "randomaccessindication",
        "streamstateindication", "auxiliarydatasizelength"}) {
      if (number(fmtp, field, 0, 0, 0xFFFF) != 0) {
        throw new RtpFormatException("mpeg4-generic with " + field + " is not read");
      }
    }
    return new AacDepacketizer(sizeLength, indexLength, indexDeltaLength, samplesPerFrame, maxFrameSize, out);
  }

  private static int number(Map<String, String> fmtp, String key, int absent, int min, int max)
      throws RtpFormatException {
    String value = fmtp.get(key);
    if (value == null) {
      return absent;
    }
    int number;
    try {
      number = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new RtpFormatException("mpeg4-generic " + key + " of '" + value + "'");
    }
    if (number < min || number > max) {
      throw new RtpFormatException("mpeg4-generic " + key + " of " + number + ", not " + min + ".." + max);
    }
    return number;
  }

  /** Takes the track's next packet; emits the access units it holds or completes. */
  public void packet(RtpPacket packet) {
    int sequence = packet.sequence();
    boolean gap = expectedSequence >= 0 && sequence != expectedSequence;
    expectedSequence = (sequence + 1) & 0xFFFF;
    long timestamp = packet.timestamp();
    if (fragmentSize >= 0 && (gap || timestamp != fragmentTimestamp)) {
      lost++; // a fragment lost, or the unit ended without its last one
      dropFragments();
    }
    if (skipping) {
      if (timestamp == skipTimestamp) {
        skipping = !packet.marker();
        return;
      }
      skipping = false;
    }
    read(packet.payload(), timestamp, packet.marker());
  }

  /** Access units dropped because a packet of theirs was missing. */
  public long lost() {
    return lost;
  }

  /** Access units dropped because they were larger than the maximum. */
  public long oversized() {
    return oversized;
  }

  /** Payloads, or fragments, dropped because their AU headers did not fit them. */
  public long malformed() {
    return malformed;
  }

  private void read(ByteBuf payload, long timestamp, boolean marker) {
    int at = payload.readerIndex();
    int end = payload.writerIndex();
    if (end - at < HEADERS_LENGTH_FIELD) {
      malformed++;
      return;
    }
    int headerBits = payload.getUnsignedShort(at);
    int firstBits = sizeLength + indexLength;
    int nextBits = sizeLength + indexDeltaLength;
    int dataAt = at + HEADERS_LENGTH_FIELD + (headerBits + 7) / 8;
    if (headerBits < firstBits || (headerBits - firstBits) % nextBits != 0 || dataAt > end) {
      malformed++;
      return;
    }
    int count = 1 + (headerBits - firstBits) / nextBits;
    long headerAt = (at + HEADERS_LENGTH_FIELD) * 8L;
    if (count == 1) {
      int size = bits(payload, headerAt, sizeLength);
      if (fragmentSize >= 0 || size > end - dataAt) {
        fragment(payload, dataAt, end - dataAt, size, timestamp, marker);
        return;
      }
    } else if (fragmentSize >= 0) {
      lost++; // the fragmented unit was cut short by whole ones
      dropFragments();
      skipping = false;
    }
    long total = 0;
    long bit = headerAt;
    for (int i = 0; i < count; i++) {
      total += bits(payload, bit, sizeLength);
      bit += i == 0 ? firstBits : nextBits;
    }
    if (total > end - dataAt) {
      malformed++;
      return;
    }
    bit = headerAt;
    long index = 0;
    for (int i = 0; i < count; i++) {
      int size = bits(payload, bit, sizeLength);
      if (i > 0) {
        index += 1 + bits(payload, bit + sizeLength, indexDeltaLength);
      }
      bit += i == 0 ? firstBits : nextBits;
      if (size > maxFrameSize) {
        oversized++;
      } else if (size > 0) {
        ByteBuf raw = Unpooled.buffer(size, size).writeBytes(payload, dataAt, size);
        out.accept(new AacFrame((timestamp + index * samplesPerFrame) & 0xFFFF_FFFFL, raw));
      }
      dataAt += size;
    }
  }

  /** A fragment of {@code length} bytes at {@code at} of an access unit of {@code size} bytes. */
  private void fragment(ByteBuf payload, int at, int length, int size, long timestamp, boolean marker) {
    if (fragmentSize < 0) {
      if (size > maxFrameSize) {
        oversized++;
        skipping = !marker;
        skipTimestamp = timestamp;
        return;
      }
      fragments.clear();
      fragmentSize = size;
      fragmentTimestamp = timestamp;
    } else if (size != fragmentSize || length > fragmentSize - fragments.writerIndex()) {
      malformed++; // a fragment of another unit, a broken header, or more bytes than the unit has
      dropFragments();
      skipping = !marker;
      return;
    }
    fragments.writeBytes(payload, at, length);
    if (fragments.writerIndex() == fragmentSize) {
      fragmentSize = -1;
      out.accept(new AacFrame(timestamp, Unpooled.copiedBuffer(fragments)));
    } else if (marker) {
      lost++; // the last fragment, and the unit is not whole: the start was missed
      dropFragments();
      skipping = false;
    }
  }

  /** Drops the fragmented access unit being joined (the caller counts why), and skips the rest of its packets. */
  private void dropFragments() {
    skipping = true;
    skipTimestamp = fragmentTimestamp;
    fragmentSize = -1;
    fragments.clear();
  }

  /** The {@code count} bits (at most 16) from bit {@code bit} of {@code buf}, most significant first. */
  private static int bits(ByteBuf buf, long bit, int count) {
    int value = 0;
    for (int i = 0; i < count; i++, bit++) {
      value = value << 1 | buf.getUnsignedByte((int) (bit >>> 3)) >> (7 - (int) (bit & 7)) & 1;
    }
    return value;
  }
}
