package dev.streamedge.mpegts;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AdtsHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reassembles the PES packets of one elementary stream PID (ISO/IEC 13818-1 §2.4.3.6) from the
 * payloads of its TS packets. A PES ends at the next payload_unit_start_indicator or, when
 * PES_packet_length is not 0, once that many bytes arrived. It holds at most {@code maxPesSize} bytes:
 * a larger PES is dropped, and so is a video PES a continuity gap (a lost packet) cut through; of an
 * AAC PES cut so, the whole ADTS frames before the gap are kept.
 */
final class PesAssembler {

  private static final int START_CODE_PREFIX = 0x000001;
  /** packet_start_code_prefix through PES_header_data_length (§2.4.3.6). */
  private static final int FIXED_HEADER = 9;
  /** Bytes after PES_packet_length that it counts but that are no payload: the two flag bytes and the length byte. */
  private static final int FLAGS_LENGTH = 3;
  private static final int PTS_ONLY = 2;
  private static final int PTS_AND_DTS = 3;
  private static final int INITIAL_CAPACITY = 16 * 1024;

  private final int pid;
  private final TsStreamType type;
  private final int maxPesSize;
  private final TsStats stats;
  private final TsDemuxer.Listener listener;
  /** The last continuity_counter of a packet with payload, -1 before the first. */
  private int continuity = -1;
  /** The PES being collected; null while discarding up to the next unit start. */
  private ByteBuf data;
  /** Payload bytes PES_packet_length announced, -1 when unbounded (0 in the header). */
  private int expected;
  private long pts;
  private long dts;

  PesAssembler(int pid, TsStreamType type, int maxPesSize, TsStats stats, TsDemuxer.Listener listener) {
    this.pid = pid;
    this.type = type;
    this.maxPesSize = maxPesSize;
    this.stats = stats;
    this.listener = listener;
  }

  int pid() {
    return pid;
  }

  TsStreamType type() {
    return type;
  }

  /** Bytes held for the PES in progress. */
  int pendingBytes() {
    return data == null ? 0 : data.readableBytes();
  }

  /**
   * One TS packet of this PID whose payload is {@code [from, end)} of {@code buf}. Packets without
   * payload do not advance the continuity_counter (§2.4.3.3) and are not passed here.
   */
  void packet(ByteBuf buf, int from, int end, boolean unitStart, int counter, boolean discontinuity) {
    if (continuity >= 0 && !discontinuity) {
      if (counter == continuity) {
        // §2.4.3.3: a packet may be sent twice in a row; the copy carries nothing new.
        stats.duplicatePackets++;
        return;
      }
      if (counter != (continuity + 1 & 0x0F)) {
        stats.continuityErrors++;
        lost();
      }
    }
    continuity = counter;
    if (unitStart) {
      finish();
      start(buf, from, end);
    } else if (data != null) {
      append(buf, from, end);
    }
  }

  /**
   * Packets are missing after the PES in progress. A video frame with a hole is dropped. An AAC PES
   * often carries a dozen ADTS frames (ffmpeg gathers ~300 ms); those complete before the hole are
   * sound and keep their times (counted from the PES start), so they are handed on.
   */
  private void lost() {
    if (data == null) {
      return;
    }
    int whole = type == TsStreamType.AAC_ADTS ? wholeAdtsFrames(data) : 0;
    if (whole == 0) {
      stats.pesDroppedLoss++;
      data = null;
      return;
    }
    stats.pesCutByLoss++;
    data.writerIndex(data.readerIndex() + whole);
    emit();
  }

  /** The length of the ADTS frames at the start of {@code pes} that are complete. */
  private static int wholeAdtsFrames(ByteBuf pes) {
    int start = pes.readerIndex();
    int at = start;
    try {
      while (true) {
        int length = AdtsHeader.parse(pes, at).frameLength();
        if (length > pes.writerIndex() - at) {
          return at - start;
        }
        at += length;
      }
    } catch (MediaFormatException e) {
      return at - start;
    }
  }

  /** Ends the PES in progress as if a unit start arrived: an unbounded one is complete, a bounded one short. */
  void finish() {
    if (data == null) {
      return;
    }
    if (expected >= 0) {
      stats.pesDroppedMalformed++;
      data = null;
      return;
    }
    emit();
  }

  /** Forgets the PES in progress without counting it, as when the PMT no longer lists this PID. */
  void discard() {
    data = null;
  }

  /** PES header (§2.4.3.6, §2.4.3.7); it must lie in this first packet, as every muxer writes it. */
  private void start(ByteBuf buf, int from, int end) {
    int length = end - from;
    if (length < FIXED_HEADER || buf.getUnsignedMedium(from) != START_CODE_PREFIX
        || (buf.getUnsignedByte(from + 6) & 0xC0) != 0x80) {
      stats.pesDroppedMalformed++;
      return;
    }
    int packetLength = buf.getUnsignedShort(from + 4);
    int ptsDtsFlags = buf.getUnsignedByte(from + 7) >>> 6;
    int headerLength = buf.getUnsignedByte(from + 8);
    int timestamps = ptsDtsFlags == PTS_AND_DTS ? 10 : ptsDtsFlags == PTS_ONLY ? 5 : -1;
    // Without a PTS the frame has no time of its own; '01' is forbidden (§2.4.3.7).
    if (timestamps < 0 || headerLength < timestamps || FIXED_HEADER + headerLength > length
        || packetLength != 0 && packetLength < FLAGS_LENGTH + headerLength) {
      stats.pesDroppedMalformed++;
      return;
    }
    pts = timestamp(buf, from + FIXED_HEADER);
    dts = ptsDtsFlags == PTS_AND_DTS ? timestamp(buf, from + FIXED_HEADER + 5) : pts;
    expected = packetLength == 0 ? -1 : packetLength - FLAGS_LENGTH - headerLength;
    if (expected > maxPesSize) {
      stats.pesDroppedOversize++;
      return;
    }
    int capacity = expected >= 0 ? expected : Math.min(INITIAL_CAPACITY, maxPesSize);
    data = Unpooled.buffer(capacity, maxPesSize);
    append(buf, from + FIXED_HEADER + headerLength, end);
  }

  private void append(ByteBuf buf, int from, int end) {
    int length = end - from;
    if (expected >= 0) {
      // Bytes past PES_packet_length in the last packet are stuffing.
      length = Math.min(length, expected - data.readableBytes());
    } else if (length > maxPesSize - data.readableBytes()) {
      stats.pesDroppedOversize++;
      data = null;
      return;
    }
    data.writeBytes(buf, from, length);
    if (data.readableBytes() == expected) {
      emit();
    }
  }

  private void emit() {
    TsFrame frame = new TsFrame(type, pts, dts, data);
    data = null;
    stats.framesEmitted++;
    listener.frame(frame);
  }

  /** A 33-bit PTS or DTS: 3 + 15 + 15 bits between marker bits (§2.4.3.7). */
  private static long timestamp(ByteBuf buf, int at) {
    long high = buf.getUnsignedByte(at) >>> 1 & 0x07;
    long middle = buf.getUnsignedShort(at + 1) >>> 1;
    long low = buf.getUnsignedShort(at + 3) >>> 1;
    return high << 30 | middle << 15 | low;
  }
}
