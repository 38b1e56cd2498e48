package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * H.264 out of RTP (RFC 6184), packetization-mode 0 and 1 (non-interleaved, §6.2 and §6.3): one track's packets
 * in, in the order they came, its access units out in Annex B form. Reads single NAL unit packets (types 1..23,
 * §5.6), STAP-A (type 24, §5.7.1: NAL units behind 16-bit sizes) and FU-A (type 28, §5.8: the NAL unit header
 * rebuilt from the FU indicator's F and NRI and the FU header's type). The interleaved mode's STAP-B, MTAP16,
 * MTAP24 and FU-B (25..27, 29) and the undefined types 0, 30 and 31 are dropped and counted malformed, as is any
 * payload too short for its structure. When access units end, and what a lost packet or a unit over the maximum
 * drops, is {@link AccessUnitAssembler}'s. Never throws on what a publisher sends. Not thread-safe.
 */
public final class H264Depacketizer {

  static final int TYPE_STAP_A = 24;
  static final int TYPE_FU_A = 28;
  /** STAP-A: the 16-bit size before each NAL unit. */
  private static final int SIZE_LENGTH = 2;
  /** FU indicator and FU header. */
  private static final int FU_OVERHEAD = 2;

  private final AccessUnitAssembler assembler;

  /**
   * @param maxFrameSize the most Annex B bytes an access unit may have, start codes included; larger ones are
   *     dropped
   * @param out given each access unit, in order, with a buffer of its own
   */
  public H264Depacketizer(int maxFrameSize, Consumer<AccessUnit> out) {
    assembler = new AccessUnitAssembler(maxFrameSize, out);
  }

  /** Takes the track's next packet; emits the access unit it ends, or the one before when its timestamp differs. */
  public void packet(RtpPacket packet) {
    if (assembler.begin(packet)) {
      payload(packet.payload());
    }
    assembler.end(packet);
  }

  /** Emits the access unit being built, if any: the end of the stream. */
  public void flush() {
    assembler.flush();
  }

  /** NAL units dropped because a packet of theirs was missing (a fragment, or the start of a fragmented one). */
  public long lost() {
    return assembler.lost();
  }

  /** Access units dropped because they were larger than the maximum. */
  public long oversized() {
    return assembler.oversized();
  }

  /** Payloads dropped because they were not a structure this depacketizer reads. */
  public long malformed() {
    return assembler.malformed();
  }

  private void payload(ByteBuf payload) {
    int at = payload.readerIndex();
    int end = payload.writerIndex();
    if (at == end) {
      assembler.countMalformed();
      return;
    }
    int header = payload.getUnsignedByte(at);
    int type = header & 0x1F;
    if (type >= 1 && type <= 23) {
      assembler.nal(payload, at, end - at);
    } else if (type == TYPE_STAP_A) {
      stapA(payload, at + 1, end);
    } else if (type == TYPE_FU_A && end - at >= FU_OVERHEAD) {
      int fuHeader = payload.getUnsignedByte(at + 1);
      int nalType = fuHeader & 0x1F;
      if (nalType >= 1 && nalType <= 23) {
        assembler.fragment((fuHeader & 0x80) != 0, (fuHeader & 0x40) != 0, header & 0xE0 | nalType, 1, payload,
            at + FU_OVERHEAD, end - at - FU_OVERHEAD);
      } else {
        assembler.countMalformed(); // a fragment of a type that is not a NAL unit's
      }
    } else {
      assembler.countMalformed();
    }
  }

  /** The NAL units of a STAP-A from {@code at} (past its header) to {@code end}, all checked before any is added. */
  private void stapA(ByteBuf payload, int at, int end) {
    if (!AccessUnitAssembler.sizesFit(payload, at, end, 1)) {
      assembler.countMalformed();
      return;
    }
    while (at < end) {
      int size = payload.getUnsignedShort(at);
      assembler.nal(payload, at + SIZE_LENGTH, size);
      at += SIZE_LENGTH + size;
    }
  }
}
