package dev.streamedge.rtp;

import dev.streamedge.media.MediaFormatException;
import dev.streamedge.media.codec.AvcConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * H.264 in RTP (RFC 6184), packetization-mode 1 without aggregation: a NAL unit that fits the payload goes
 * alone in a packet (§5.6), a larger one in FU-A fragments (§5.8). The marker bit is set on the last packet of
 * an access unit (§5.1). Access unit delimiters (type 9), empty NAL units and types RTP gives other meanings
 * (0 and 24..31) are dropped. Before a keyframe (or an IDR picture) whose access unit carries no SPS, the
 * configuration's SPS and PPS go first, so that a receiver joining at any keyframe can decode.
 */
public final class H264Packetizer {

  static final int TYPE_IDR = 5;
  static final int TYPE_SPS = 7;
  static final int TYPE_AUD = 9;
  static final int TYPE_FU_A = 28;
  /** FU indicator and FU header. */
  private static final int FU_OVERHEAD = 2;

  private final RtpPacketWriter writer;
  private final int maxPayload;

  /** @param maxPayload the largest RTP payload written, in bytes: 16 to {@link RtpPacketWriter#MAX_PAYLOAD} */
  public H264Packetizer(RtpPacketWriter writer, int maxPayload) {
    if (maxPayload < 16 || maxPayload > RtpPacketWriter.MAX_PAYLOAD) {
      throw new IllegalArgumentException("max RTP payload " + maxPayload);
    }
    this.writer = writer;
    this.maxPayload = maxPayload;
  }

  public RtpPacketWriter writer() {
    return writer;
  }

  /**
   * Writes one access unit's packets to {@code out}.
   *
   * @param avccData NAL units with length prefixes of {@code config.nalLengthSize()} bytes; left untouched
   * @return whether any packet was written (not when the access unit had nothing to send)
   * @throws MediaFormatException when a length prefix runs past the end; nothing is written then
   */
  public boolean frame(ByteBuf out, long rtpTimestamp, boolean keyframe, ByteBuf avccData, AvcConfig config)
      throws MediaFormatException {
    int[] units = NalUnits.split(avccData, config.nalLengthSize(), 1, "H.264");
    int last = -1;
    boolean hasSps = false;
    boolean idr = false;
    for (int i = 0; i < units.length; i += 2) {
      if (units[i + 1] > 0) {
        int type = avccData.getUnsignedByte(units[i]) & 0x1F;
        hasSps |= type == TYPE_SPS;
        idr |= type == TYPE_IDR;
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
      if ((keyframe || idr) && !hasSps) {
        parameterSets(out, rtpTimestamp, config.sps());
        parameterSets(out, rtpTimestamp, config.pps());
      }
      for (int i = 0; i <= last; i += 2) {
        if (units[i + 1] > 0 && sent(avccData.getUnsignedByte(units[i]) & 0x1F)) {
          nal(out, rtpTimestamp, avccData, units[i], units[i + 1], i == last);
        }
      }
    } catch (RuntimeException e) {
      out.writerIndex(start);
      throw e;
    }
    return true;
  }

  private static boolean sent(int type) {
    return type != 0 && type != TYPE_AUD && type < 24;
  }

  private void parameterSets(ByteBuf out, long rtpTimestamp, List<byte[]> sets) {
    for (byte[] set : sets) {
      if (set.length > 0) {
        nal(out, rtpTimestamp, Unpooled.wrappedBuffer(set), 0, set.length, false);
      }
    }
  }

  /** One NAL unit at {@code offset} of {@code src}: a single NAL unit packet, or FU-A fragments. */
  private void nal(ByteBuf out, long rtpTimestamp, ByteBuf src, int offset, int length, boolean lastOfUnit) {
    if (length <= maxPayload) {
      writer.writeHeader(out, lastOfUnit, rtpTimestamp, length);
      out.writeBytes(src, offset, length);
      return;
    }
    int header = src.getUnsignedByte(offset);
    int indicator = header & 0xE0 | TYPE_FU_A; // F and NRI of the NAL unit
    int at = offset + 1; // the NAL header is not repeated: the FU indicator and header carry it
    int end = offset + length;
    while (at < end) {
      int size = Math.min(maxPayload - FU_OVERHEAD, end - at);
      boolean first = at == offset + 1;
      boolean lastFragment = at + size == end;
      writer.writeHeader(out, lastOfUnit && lastFragment, rtpTimestamp, FU_OVERHEAD + size);
      out.writeByte(indicator);
      out.writeByte((first ? 0x80 : 0) | (lastFragment ? 0x40 : 0) | header & 0x1F);
      out.writeBytes(src, at, size);
      at += size;
    }
  }
}
