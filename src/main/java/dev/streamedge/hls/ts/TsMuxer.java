package dev.streamedge.hls.ts;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AacConfig;
import dev.streamedge.media.codec.AvcConfig;
import dev.streamedge.mpegts.Crc32Mpeg2;
import dev.streamedge.mpegts.TsDemuxer;
import dev.streamedge.mpegts.TsStreamType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * Writes an MPEG-2 transport stream (ISO/IEC 13818-1) of one program with H.264 or HEVC and/or AAC, as HLS
 * segments (RFC 8216 §3.2, H.264 only) and SRT players take it: PAT and PMT, then one PES packet per video
 * access unit and per AAC frame. Continuity counters live in the instance, so consecutive segments of one stream
 * must be written by the same muxer. Not thread-safe.
 */
public final class TsMuxer {

  public static final int PACKET_SIZE = TsDemuxer.PACKET_SIZE;
  static final int PID_PAT = 0x0000;
  static final int PID_PMT = 0x1000;
  static final int PID_VIDEO = 0x0100;
  static final int PID_AUDIO = 0x0101;
  private static final int SYNC_BYTE = 0x47;
  private static final int HEADER_LENGTH = 4;
  private static final int PAYLOAD_SIZE = PACKET_SIZE - HEADER_LENGTH;
  private static final int STREAM_ID_VIDEO = 0xE0;
  private static final int STREAM_ID_AUDIO = 0xC0;
  private static final int PROGRAM_NUMBER = 1;
  private static final long TIMESTAMP_MASK = (1L << 33) - 1;
  private static final int MAX_PES_PACKET_LENGTH = 0xFFFF;

  /** H264 or H265, null in a program without video. */
  private final TsStreamType video;
  private final boolean audio;
  /** Continuity counters of PAT, PMT, video and audio. */
  private final int[] continuity = new int[4];
  private final ByteBuf pes = Unpooled.buffer();

  /** A program with the given tracks, H.264 for video; at least one. */
  public TsMuxer(boolean video, boolean audio) {
    this(video ? TsStreamType.H264 : null, audio);
  }

  /** A program with video of {@code video} (H264 or H265; null for none) and/or AAC; at least one track. */
  public TsMuxer(TsStreamType video, boolean audio) {
    if (video == TsStreamType.AAC_ADTS) {
      throw new IllegalArgumentException("not a video stream type: " + video);
    }
    if (video == null && !audio) {
      throw new IllegalArgumentException("a program needs a video or an audio track");
    }
    this.video = video;
    this.audio = audio;
  }

  public boolean hasVideo() {
    return video != null;
  }

  /** H264, H265, or null in a program without video. */
  public TsStreamType videoType() {
    return video;
  }

  public boolean hasAudio() {
    return audio;
  }

  /** The PAT and the PMT, one TS packet each; every segment starts with them (RFC 8216 §3.2). */
  public void writeTables(ByteBuf out) {
    ByteBuf section = Unpooled.buffer(PAYLOAD_SIZE);
    // program_association_section, §2.4.4.3: one program, whose PMT is on PID_PMT.
    sectionHeader(section, 0x00, 1);
    section.writeShort(PROGRAM_NUMBER);
    section.writeShort(0xE000 | PID_PMT);
    writeSection(out, PID_PAT, section);

    section.clear();
    // TS_program_map_section, §2.4.4.8.
    sectionHeader(section, 0x02, PROGRAM_NUMBER);
    section.writeShort(0xE000 | (video != null ? PID_VIDEO : PID_AUDIO)); // PCR_PID
    section.writeShort(0xF000); // program_info_length 0
    if (video != null) {
      elementaryStream(section, video.code(), PID_VIDEO);
    }
    if (audio) {
      elementaryStream(section, TsStreamType.AAC_ADTS.code(), PID_AUDIO);
    }
    writeSection(out, PID_PMT, section);
  }

  /**
   * One H.264 access unit as a PES packet with PTS and DTS (§2.4.3.7). The PCR is its DTS, sent in
   * the first TS packet, where keyframes also set random_access_indicator (§2.4.3.5).
   *
   * @param dtsMillis decoding time: the FLV timestamp
   * @param ctsMillis FLV composition time, PTS − DTS
   * @param avcc the NAL units with length prefixes of {@code config.nalLengthSize()} bytes
   * @throws MediaFormatException when the NAL units are malformed; nothing is written then
   */
  public void writeVideo(ByteBuf out, long dtsMillis, int ctsMillis, boolean keyframe, ByteBuf avcc, AvcConfig config)
      throws MediaFormatException {
    requireVideo(TsStreamType.H264);
    pes.clear();
    long dts = videoPesHeader(dtsMillis, ctsMillis);
    AnnexB.write(pes, avcc, config, keyframe);
    videoPacketize(out, dts, keyframe);
  }

  /**
   * One HEVC access unit, as {@link #writeVideo(ByteBuf, long, int, boolean, ByteBuf, AvcConfig)} writes H.264's
   * (stream_type 0x24, ISO/IEC 13818-1 §2.17): a delimiter first, the VPS, SPS and PPS before a random access
   * picture that lacks them.
   *
   * @param hvcc the NAL units with length prefixes of {@code sets.nalLengthSize()} bytes
   * @throws MediaFormatException when the NAL units are malformed; nothing is written then
   */
  public void writeVideo(ByteBuf out, long dtsMillis, int ctsMillis, boolean keyframe, ByteBuf hvcc,
      HevcParameterSets sets) throws MediaFormatException {
    requireVideo(TsStreamType.H265);
    pes.clear();
    long dts = videoPesHeader(dtsMillis, ctsMillis);
    AnnexB.write(pes, hvcc, AnnexB.Codec.HEVC, sets.nalLengthSize(), sets.parameterSets(), List.of(), keyframe);
    videoPacketize(out, dts, keyframe);
  }

  private void requireVideo(TsStreamType type) {
    if (video != type) {
      throw new IllegalStateException("this program's video is " + video + ", not " + type);
    }
  }

  /** The PES header of a video access unit; returns its DTS at 90 kHz. */
  private long videoPesHeader(long dtsMillis, int ctsMillis) {
    long dts = dtsMillis * 90 & TIMESTAMP_MASK;
    long pts = (dtsMillis + ctsMillis) * 90 & TIMESTAMP_MASK;
    pesHeader(STREAM_ID_VIDEO, pts, dts);
    return dts;
  }

  private void videoPacketize(ByteBuf out, long dts, boolean keyframe) {
    int length = pes.readableBytes() - 6;
    // 0 means unbounded, which only video elementary streams may use (§2.4.3.7).
    pes.setShort(4, length <= MAX_PES_PACKET_LENGTH ? length : 0);
    packetize(out, PID_VIDEO, dts, keyframe);
  }

  /**
   * One raw AAC frame with an ADTS header as a PES packet with a PTS. In a program without video
   * the PCR rides on this PID, in every frame's first TS packet.
   *
   * @throws MediaFormatException when ADTS cannot carry the frame or the configuration
   */
  public void writeAudio(ByteBuf out, long ptsMillis, ByteBuf rawAac, AacConfig config) throws MediaFormatException {
    if (!audio) {
      throw new IllegalStateException("this program has no audio track");
    }
    if (!config.adtsCompatible()) {
      throw new MediaFormatException("ADTS cannot carry AAC " + config);
    }
    if (rawAac.readableBytes() > AacConfig.MAX_ADTS_PAYLOAD) {
      throw new MediaFormatException("AAC frame of " + rawAac.readableBytes() + " bytes is too large for ADTS");
    }
    long pts = ptsMillis * 90 & TIMESTAMP_MASK;
    pes.clear();
    pesHeader(STREAM_ID_AUDIO, pts, pts);
    config.writeAdtsHeader(pes, rawAac.readableBytes());
    pes.writeBytes(rawAac, rawAac.readerIndex(), rawAac.readableBytes());
    pes.setShort(4, pes.readableBytes() - 6);
    packetize(out, PID_AUDIO, video != null ? -1 : pts, false);
  }

  /** table_id through last_section_number; section_length is patched in {@link #writeSection}. */
  private static void sectionHeader(ByteBuf section, int tableId, int idExtension) {
    section.writeByte(tableId);
    section.writeShort(0xB000); // section_syntax_indicator 1, '0', reserved 11, length later
    section.writeShort(idExtension); // transport_stream_id (PAT) or program_number (PMT)
    section.writeByte(0xC1); // reserved 11, version_number 0, current_next_indicator 1
    section.writeByte(0); // section_number
    section.writeByte(0); // last_section_number
  }

  private static void elementaryStream(ByteBuf section, int streamType, int pid) {
    section.writeByte(streamType);
    section.writeShort(0xE000 | pid);
    section.writeShort(0xF000); // ES_info_length 0
  }

  /** A section in one TS packet: pointer_field, the section with its CRC_32, 0xFF stuffing. */
  private void writeSection(ByteBuf out, int pid, ByteBuf section) {
    // section_length counts the bytes after itself, including the CRC.
    section.setShort(1, 0xB000 | section.readableBytes() - 3 + 4);
    section.writeInt(Crc32Mpeg2.compute(section, 0, section.readableBytes()));
    out.writeByte(SYNC_BYTE);
    out.writeShort(0x4000 | pid); // payload_unit_start_indicator
    out.writeByte(0x10 | nextContinuity(pid)); // payload only
    out.writeByte(0); // pointer_field
    int stuffing = PAYLOAD_SIZE - 1 - section.readableBytes();
    out.writeBytes(section);
    for (int i = 0; i < stuffing; i++) {
      out.writeByte(0xFF);
    }
  }

  /** PES header (§2.4.3.6) with PTS, and DTS when it differs; PES_packet_length patched later. */
  private void pesHeader(int streamId, long pts, long dts) {
    boolean withDts = dts != pts;
    pes.writeMedium(0x000001); // packet_start_code_prefix
    pes.writeByte(streamId);
    pes.writeShort(0); // PES_packet_length
    pes.writeByte(0x84); // '10', not scrambled, data_alignment_indicator: each PES starts an access unit
    pes.writeByte(withDts ? 0xC0 : 0x80); // PTS_DTS_flags
    pes.writeByte(withDts ? 10 : 5); // PES_header_data_length
    writeTimestamp(pes, withDts ? 0x3 : 0x2, pts);
    if (withDts) {
      writeTimestamp(pes, 0x1, dts);
    }
  }

  /** A 33-bit PTS or DTS in 5 bytes after a 4-bit prefix, with marker bits (§2.4.3.7). */
  static void writeTimestamp(ByteBuf out, int prefix, long value) {
    out.writeByte(prefix << 4 | (int) (value >>> 29 & 0x0E) | 1);
    out.writeShort((int) (value >>> 14 & 0xFFFE) | 1);
    out.writeShort((int) (value << 1 & 0xFFFE) | 1);
  }

  /**
   * Splits the PES in {@link #pes} into TS packets. The first carries an adaptation field with the
   * PCR when {@code pcr} ≥ 0 and the random_access_indicator when asked; the last is filled up to
   * 188 bytes with adaptation field stuffing (§2.4.3.5), never with payload padding.
   */
  private void packetize(ByteBuf out, int pid, long pcr, boolean randomAccess) {
    boolean first = true;
    do {
      boolean withPcr = first && pcr >= 0;
      boolean withFlags = withPcr || first && randomAccess;
      // adaptation_field_length byte + flags byte + PCR.
      int adaptation = withFlags ? 2 + (withPcr ? 6 : 0) : 0;
      int payload = Math.min(pes.readableBytes(), PAYLOAD_SIZE - adaptation);
      adaptation = PAYLOAD_SIZE - payload;
      out.writeByte(SYNC_BYTE);
      out.writeShort((first ? 0x4000 : 0) | pid);
      out.writeByte((adaptation > 0 ? 0x30 : 0x10) | nextContinuity(pid));
      if (adaptation > 0) {
        out.writeByte(adaptation - 1);
        int written = 1;
        if (adaptation > 1) {
          out.writeByte((first && randomAccess ? 0x40 : 0) | (withPcr ? 0x10 : 0));
          written++;
        }
        if (withPcr) {
          writePcr(out, pcr);
          written += 6;
        }
        for (; written < adaptation; written++) {
          out.writeByte(0xFF);
        }
      }
      out.writeBytes(pes, payload);
      first = false;
    } while (pes.isReadable());
  }

  /** program_clock_reference_base (33 bits, 90 kHz), 6 reserved bits, extension 0 (§2.4.3.5). */
  static void writePcr(ByteBuf out, long base) {
    out.writeInt((int) (base >>> 1));
    out.writeShort((int) (base & 1) << 15 | 0x7E00);
  }

  /** The 4-bit continuity_counter for the next packet with payload on {@code pid} (§2.4.3.3). */
  private int nextContinuity(int pid) {
    int slot = switch (pid) {
      case PID_PAT -> 0;
      case PID_PMT -> 1;
      case PID_VIDEO -> 2;
      default -> 3;
    };
    int value = continuity[slot];
    continuity[slot] = value + 1 & 0x0F;
    return value;
  }
}
