package dev.streamedge.rtp;

import dev.streamedge.hls.ts.HevcParameterSets;
import dev.streamedge.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * H.265 in RTP (RFC 7798) without aggregation or DON: a NAL unit that fits the payload goes alone in a packet
 * (§4.4.1), a larger one in fragmentation units (§4.4.3). The marker bit is set on the last packet of an access
 * unit (§4.1). Access unit delimiters (type 35), empty NAL units and the types RTP uses for its own payload
 * structures (48..63) are dropped. Before a keyframe or IRAP picture (types 16..21) whose access unit carries no
 * SPS, the record's VPS, SPS and PPS go first.
 */
public final class H265Packetizer {

  static final int TYPE_IRAP_FIRST = 16;
  static final int TYPE_IRAP_LAST = 21;
  static final int TYPE_SPS = 33;
  static final int TYPE_AUD = 35;
  static final int TYPE_FU = 49;
  /** The NAL unit header. */
  private static final int HEADER_LENGTH = 2;
  /** Payload header and FU header. */
  private static final int FU_OVERHEAD = 3;

  private final RtpPacketWriter writer;
  private final int maxPayload;

  /** @param maxPayload the largest RTP payload written, in bytes: 16 to {@link RtpPacketWriter#MAX_PAYLOAD} */
  public H265Packetizer(RtpPacketWriter writer, int maxPayload) {
    if (maxPayload < 16 || maxPayload > RtpPacketWriter.MAX_PAYLOAD) {
      throw new IllegalArgumentException("max RTP payload " + maxPayload);
    }
    this.writer = writer;
    this.maxPayload = maxPayload;
  }

  public RtpPacketWriter writer() {
    return writer;
  }

  static int type(ByteBuf src, int offset) {
    return src.getUnsignedByte(offset) >> 1 & 0x3F;
  }

  /**
   * Writes one access unit's packets to {@code out}.
   *
   * @param hvccData NAL units with length prefixes of {@code sets.nalLengthSize()} bytes; left untouched
   * @return whether any packet was written (not when the access unit had nothing to send)
   * @throws MediaFormatException when a length prefix runs past the end or a NAL unit is shorter than its
   *     2-byte header; nothing is written then
   */
  public boolean frame(ByteBuf out, long rtpTimestamp, boolean keyframe, ByteBuf hvccData, HevcParameterSets sets)
      throws MediaFormatException {
    int[] units = NalUnits.split(hvccData, sets.nalLengthSize(), HEADER_LENGTH, "H.265");
    int last = -1;
    boolean hasSps = false;
    boolean irap = false;
    for (int i = 0; i < units.length; i += 2) {
      if (units[i + 1] > 0) {
        int type = type(hvccData, units[i]);
        hasSps |= type == TYPE_SPS;
        irap |= type >= TYPE_IRAP_FIRST && type <= TYPE_IRAP_LAST;
        if (sent(type)) {
          last = i;
        }
      }
    }
    if (last < 0) {
      return false;
    }
    int start = out.writerIndex();
    try {
      if ((keyframe || irap) && !hasSps) {
        for (byte[] set : sets.parameterSets()) {
          if (set.length >= HEADER_LENGTH) {
            nal(out, rtpTimestamp, Unpooled.wrappedBuffer(set), 0, set.length, false);
          }
        }
      }
      for (int i = 0; i <= last; i += 2) {
        if (units[i + 1] > 0 && sent(type(hvccData, units[i]))) {
          nal(out, rtpTimestamp, hvccData, units[i], units[i + 1], i == last);
        }
      }
    } catch (RuntimeException e) {
      out.writerIndex(start);
      throw e;
    }
    return true;
  }

  private static boolean sent(int type) {
    return type != TYPE_AUD && type < 48;
  }

  /** One NAL unit at {@code offset} of {@code src}: a single NAL unit packet, or fragmentation units. */
  private void nal(ByteBuf out, long rtpTimestamp, ByteBuf src, int offset, int length, boolean lastOfUnit) {
    if (length <= maxPayload) {
      writer.writeHeader(out, lastOfUnit, rtpTimestamp, length);
      out.writeBytes(src, offset, length);
      return;
    }
    int header0 = src.getUnsignedByte(offset);
    int header1 = src.getUnsignedByte(offset + 1);
    int type = header0 >> 1 & 0x3F;
    // The payload header: the NAL unit's F, LayerId and TID with the type FU.
    int payloadHeader0 = header0 & 0x81 | TYPE_FU << 1;
    int at = offset + HEADER_LENGTH;
    int end = offset + length;
    while (at < end) {
      int size = Math.min(maxPayload - FU_OVERHEAD, end - at);
      boolean first = at == offset + HEADER_LENGTH;
      boolean lastFragment = at + size == end;
      writer.writeHeader(out, lastOfUnit && lastFragment, rtpTimestamp, FU_OVERHEAD + size);
      out.writeByte(payloadHeader0);
      out.writeByte(header1);
      out.writeByte((first ? 0x80 : 0) | (lastFragment ? 0x40 : 0) | type);
      out.writeBytes(src, at, size);
      at += size;
    }
  }
}
