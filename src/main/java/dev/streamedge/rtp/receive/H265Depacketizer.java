package dev.streamedge.rtp.receive;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * H.265 out of RTP (RFC 7798) without decoding order numbers (sprop-max-don-diff 0, so no DONL or DOND field):
 * one track's packets in, in the order they came, its access units out in Annex B form. Reads single NAL unit
 * packets (types 0..47 in the 2-byte NAL unit header, §4.4.1), aggregation packets (type 48, §4.4.2: NAL units
 * behind 16-bit sizes) and fragmentation units (type 49, §4.4.3: the NAL unit header rebuilt from the payload
 * header's F, LayerId and TID and the FU header's FuType). PACI (50, RFC 7798 §4.4.4) and the undefined types
 * 51..63 are dropped and counted malformed, as is any payload too short for its structure. When access units
 * end, and what a lost packet or a unit over the maximum drops, is {@link AccessUnitAssembler}'s. Never throws on
 * what a publisher sends. Not thread-safe.
 */
public final class H265Depacketizer {

  static final int TYPE_AP = 48;
  static final int TYPE_FU = 49;
  /** The NAL unit header, and the payload header of an AP or FU. */
  private static final int HEADER_LENGTH = 2;
  /** AP: the 16-bit size before each NAL unit. */
  private static final int SIZE_LENGTH = 2;
  /** Payload header and FU header. */
  private static final int FU_OVERHEAD = 3;

  private final AccessUnitAssembler assembler;

  /**
   * @param maxFrameSize the most Annex B bytes an access unit may have, start codes included; larger ones are
   *     dropped
   * @param out given each access unit, in order, with a buffer of its own
   */
  public H265Depacketizer(int maxFrameSize, Consumer<AccessUnit> out) {
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
    if (end - at < HEADER_LENGTH) {
      assembler.countMalformed();
      return;
    }
    int header0 = payload.getUnsignedByte(at);
    int type = header0 >> 1 & 0x3F;
    if (type < TYPE_AP) {
      assembler.nal(payload, at, end - at);
    } else if (type == TYPE_AP) {
      aggregation(payload, at + HEADER_LENGTH, end);
    } else if (type == TYPE_FU && end - at >= FU_OVERHEAD) {
      int fuHeader = payload.getUnsignedByte(at + 2);
      int fuType = fuHeader & 0x3F;
      if (fuType < TYPE_AP) {
        // F and LayerId's high bit from the payload header's first byte, the type from the FU header; the
        // second byte (the rest of LayerId, TID) as it is.
        int header = (header0 & 0x81 | fuType << 1) << 8 | payload.getUnsignedByte(at + 1);
        assembler.fragment((fuHeader & 0x80) != 0, (fuHeader & 0x40) != 0, header, HEADER_LENGTH, payload,
            at + FU_OVERHEAD, end - at - FU_OVERHEAD);
      } else {
        assembler.countMalformed(); // FuType 48..63: not a NAL unit's (§4.4.3: 48 and 49 must not be fragmented)
      }
    } else {
      assembler.countMalformed();
    }
  }

  /** The NAL units of an AP from {@code at} (past its payload header) to {@code end}, all checked first. */
  private void aggregation(ByteBuf payload, int at, int end) {
    if (!AccessUnitAssembler.sizesFit(payload, at, end, HEADER_LENGTH)) {
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
