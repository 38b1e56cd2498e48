package dev.streamedge.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads an MPEG-2 transport stream (ISO/IEC 13818-1) as it arrives in chunks of any size, such as
 * SRT datagrams of 7 × 188 bytes, and hands on the PES packets of one program: the PAT's first
 * program with a non-zero number, and of its PMT the first H.264 or H.265 stream and the first AAC
 * (ADTS) stream. Everything else is counted and skipped.
 *
 * <p>Malformed input never throws: a publisher's garbage must not end its connection. Every fault is
 * counted instead and costs as little as it can: a byte that is no sync byte is skipped (resync on
 * the next 0x47), a packet that does not parse is dropped, and an oversize PES is dropped. A
 * continuity gap (a lost packet) drops the video frame in progress, and the next one too when the
 * lost packet was its start, which no receiver can tell from a packet at the end of the previous one;
 * in an AAC PES it costs the ADTS frames from the gap to the PES end. Exceptions the listener
 * throws pass through.
 *
 * <p>Bounded: at most one partial packet (188 bytes) between {@link #feed} calls and at most {@code
 * maxPesSize} bytes per elementary stream, of which there are at most two. Not thread-safe.
 */
public final class TsDemuxer {

  /** Receives each complete PES packet, in stream order. */
  public interface Listener {
    /**
     * One PES packet. Its buffer belongs to the listener from now on: an unpooled heap buffer that
     * no one else holds, to keep or let go (it needs no release).
     */
    void frame(TsFrame frame);
  }

  public static final int PACKET_SIZE = 188;
  private static final int SYNC_BYTE = 0x47;
  private static final int PID_PAT = 0x0000;
  private static final int PID_NULL = 0x1FFF;
  private static final int TABLE_PAT = 0x00;
  private static final int TABLE_PMT = 0x02;
  /** Bytes before a section's loop: table_id through last_section_number (§2.4.4.3). */
  private static final int SECTION_HEADER = 8;
  private static final int CRC_LENGTH = 4;

  private final int maxPesSize;
  private final Listener listener;
  private final TsStats stats = new TsStats();
  private final byte[] partial = new byte[PACKET_SIZE];
  private final ByteBuf partialPacket = Unpooled.wrappedBuffer(partial);
  private int partialLength;
  private int pmtPid = -1;
  private PesAssembler video;
  private PesAssembler audio;

  /**
   * @param maxPesSize the largest PES payload kept, in bytes: a video access unit can be large (a
   *     keyframe of a 1080p stream at 8 Mbit/s is some hundred KB), anything larger is dropped
   */
  public TsDemuxer(int maxPesSize, Listener listener) {
    if (maxPesSize < 1) {
      throw new IllegalArgumentException("maxPesSize must be at least 1, got " + maxPesSize);
    }
    this.maxPesSize = maxPesSize;
    this.listener = listener;
  }

  /**
   * Takes the readable bytes of {@code bytes} (without moving its reader index; the caller keeps
   * ownership) and hands on every PES packet they complete.
   */
  public void feed(ByteBuf bytes) {
    int at = bytes.readerIndex();
    int end = bytes.writerIndex();
    while (at < end) {
      if (partialLength > 0) {
        int take = Math.min(PACKET_SIZE - partialLength, end - at);
        bytes.getBytes(at, partial, partialLength, take);
        partialLength += take;
        at += take;
        if (partialLength == PACKET_SIZE) {
          partialLength = 0;
          packet(partialPacket, 0);
        }
      } else if (bytes.getUnsignedByte(at) != SYNC_BYTE) {
        stats.bytesSkipped++;
        at++;
      } else if (end - at >= PACKET_SIZE) {
        packet(bytes, at);
        at += PACKET_SIZE;
      } else {
        partialLength = end - at;
        bytes.getBytes(at, partial, 0, partialLength);
        at = end;
      }
    }
  }

  /**
   * The end of the stream: hands on the PES packets in progress that need no more bytes to be
   * complete (those without PES_packet_length, usually video), and forgets a partial packet.
   */
  public void flush() {
    partialLength = 0;
    if (video != null) {
      video.finish();
    }
    if (audio != null) {
      audio.finish();
    }
  }

  /** One packet at {@code at} (§2.4.3.2 transport packet, §2.4.3.4 adaptation field). */
  private void packet(ByteBuf buf, int at) {
    stats.packets++;
    int flags = buf.getUnsignedByte(at + 1);
    if ((flags & 0x80) != 0) {
      // transport_error_indicator: a lower layer knows the packet is damaged, even its PID.
      stats.transportErrors++;
      return;
    }
    boolean unitStart = (flags & 0x40) != 0;
    int pid = (flags & 0x1F) << 8 | buf.getUnsignedByte(at + 2);
    int control = buf.getUnsignedByte(at + 3);
    int adaptationControl = control >>> 4 & 0x03;
    if (pid == PID_NULL) {
      return;
    }
    if (adaptationControl == 0 || (control & 0xC0) != 0) {
      // '00' is reserved; scrambled payloads cannot be read.
      stats.malformedPackets++;
      return;
    }
    int payload = at + 4;
    boolean discontinuity = false;
    if ((adaptationControl & 0x02) != 0) {
      int length = buf.getUnsignedByte(at + 4);
      // 183 when no payload follows, at most 182 before payload.
      if (length > (adaptationControl == 0x03 ? 182 : 183)) {
        stats.malformedPackets++;
        return;
      }
      discontinuity = length > 0 && (buf.getUnsignedByte(at + 5) & 0x80) != 0;
      payload = at + 5 + length;
    }
    if ((adaptationControl & 0x01) == 0) {
      return;
    }
    int end = at + PACKET_SIZE;
    if (pid == PID_PAT) {
      if (unitStart) {
        pat(buf, payload, end);
      }
    } else if (pid == pmtPid) {
      if (unitStart) {
        pmt(buf, payload, end);
      }
    } else if (video != null && pid == video.pid()) {
      video.packet(buf, payload, end, unitStart, control & 0x0F, discontinuity);
    } else if (audio != null && pid == audio.pid()) {
      audio.packet(buf, payload, end, unitStart, control & 0x0F, discontinuity);
    } else {
      stats.packetsIgnored++;
    }
  }

  /** program_association_section (§2.4.4.3): the PMT PID of the first program other than 0 (the NIT). */
  private void pat(ByteBuf buf, int payload, int end) {
    int section = section(buf, payload, end, TABLE_PAT);
    if (section < 0) {
      return;
    }
    int loopEnd = section + 3 + (buf.getUnsignedShort(section + 1) & 0x0FFF) - CRC_LENGTH;
    for (int at = section + SECTION_HEADER; at + 4 <= loopEnd; at += 4) {
      if (buf.getUnsignedShort(at) != 0) {
        int pid = buf.getUnsignedShort(at + 2) & 0x1FFF;
        if (pid != pmtPid) {
          pmtPid = pid == PID_PAT || pid == PID_NULL ? -1 : pid;
          video = replace(video, -1, null);
          audio = replace(audio, -1, null);
        }
        return;
      }
    }
  }

  /** TS_program_map_section (§2.4.4.8): the first video and the first AAC elementary stream. */
  private void pmt(ByteBuf buf, int payload, int end) {
    int section = section(buf, payload, end, TABLE_PMT);
    if (section < 0) {
      return;
    }
    int loopEnd = section + 3 + (buf.getUnsignedShort(section + 1) & 0x0FFF) - CRC_LENGTH;
    int at = section + SECTION_HEADER + 4 + (buf.getUnsignedShort(section + SECTION_HEADER + 2) & 0x0FFF);
    int videoPid = -1;
    TsStreamType videoType = null;
    int audioPid = -1;
    while (at + 5 <= loopEnd) {
      TsStreamType type = TsStreamType.of(buf.getUnsignedByte(at));
      int pid = buf.getUnsignedShort(at + 1) & 0x1FFF;
      at += 5 + (buf.getUnsignedShort(at + 3) & 0x0FFF);
      if (type == null || pid == PID_PAT || pid == pmtPid || pid == PID_NULL) {
        continue;
      }
      if (type.video() && videoPid < 0) {
        videoPid = pid;
        videoType = type;
      } else if (!type.video() && audioPid < 0 && pid != videoPid) {
        audioPid = pid;
      }
    }
    if (at > loopEnd) {
      // An ES_info_length ran past the section: the section is broken, keep the streams we had.
      stats.sectionErrors++;
      return;
    }
    video = replace(video, videoPid, videoType);
    audio = replace(audio, audioPid, TsStreamType.AAC_ADTS);
  }

  /** Whether the program map read last names a video stream this demuxer reads (H.264 or H.265). */
  public boolean hasVideo() {
    return video != null;
  }

  /** Whether the program map read last names an AAC stream. */
  public boolean hasAudio() {
    return audio != null;
  }

  /** The assembler for {@code pid}: {@code current} if it already reads that stream. */
  private PesAssembler replace(PesAssembler current, int pid, TsStreamType type) {
    if (current != null && current.pid() == pid && current.type() == type) {
      return current;
    }
    if (current != null) {
      current.discard();
    }
    return pid < 0 ? null : new PesAssembler(pid, type, maxPesSize, stats, listener);
  }

  /**
   * Where the section of {@code tableId} starts after the pointer_field (§2.4.4.2), or -1 when it is
   * another table, not yet applicable, longer than this packet (PAT and PMT of one program fit one
   * packet as every muxer writes them) or fails its CRC_32.
   */
  private int section(ByteBuf buf, int payload, int end, int tableId) {
    int section = payload + 1 + buf.getUnsignedByte(payload);
    if (section + 3 > end || buf.getUnsignedByte(section) != tableId) {
      stats.sectionErrors++;
      return -1;
    }
    int header = buf.getUnsignedShort(section + 1);
    int length = header & 0x0FFF;
    if ((header & 0x8000) == 0 || length < SECTION_HEADER - 3 + CRC_LENGTH || section + 3 + length > end
        || Crc32Mpeg2.compute(buf, section, 3 + length) != 0) {
      stats.sectionErrors++;
      return -1;
    }
    // current_next_indicator 0: a table sent ahead of its use.
    return (buf.getUnsignedByte(section + 5) & 0x01) == 0 ? -1 : section;
  }

  /** TS packets read, of any PID, including damaged ones. */
  public long packets() {
    return stats.packets;
  }

  /** Bytes skipped looking for a sync byte. */
  public long bytesSkipped() {
    return stats.bytesSkipped;
  }

  /** Packets with transport_error_indicator set, dropped. */
  public long transportErrors() {
    return stats.transportErrors;
  }

  /** Packets dropped as unreadable: reserved adaptation_field_control, scrambled, a bad adaptation field. */
  public long malformedPackets() {
    return stats.malformedPackets;
  }

  /** Packets of PIDs this demuxer does not read: other programs, stream types, tables. */
  public long packetsIgnored() {
    return stats.packetsIgnored;
  }

  /** PAT or PMT sections not applied: wrong table, too long for one packet, bad CRC or loop. */
  public long sectionErrors() {
    return stats.sectionErrors;
  }

  /** Gaps in an elementary stream's continuity_counter: lost packets. */
  public long continuityErrors() {
    return stats.continuityErrors;
  }

  /** Packets sent twice in a row (§2.4.3.3), the copies skipped. */
  public long duplicatePackets() {
    return stats.duplicatePackets;
  }

  /** PES packets handed on. */
  public long framesEmitted() {
    return stats.framesEmitted;
  }

  /** PES packets larger than maxPesSize, dropped. */
  public long pesDroppedOversize() {
    return stats.pesDroppedOversize;
  }

  /** PES packets a continuity gap cut through, dropped. */
  public long pesDroppedLoss() {
    return stats.pesDroppedLoss;
  }

  /** AAC PES packets a continuity gap cut through, handed on with the whole ADTS frames before it. */
  public long pesCutByLoss() {
    return stats.pesCutByLoss;
  }

  /** PES packets with an unreadable header, no PTS, or fewer bytes than PES_packet_length, dropped. */
  public long pesDroppedMalformed() {
    return stats.pesDroppedMalformed;
  }

  /** Bytes held now: the partial packet and the PES packets in progress; never above 188 + 2 × maxPesSize. */
  public long bufferedBytes() {
    return partialLength + (video == null ? 0 : video.pendingBytes()) + (audio == null ? 0 : audio.pendingBytes());
  }
}
