package dev.streamedge.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the H.264 access units of one HLS MPEG-TS segment (ISO/IEC 13818-1): the PAT and PMT at the
 * segment's start name the video PID (stream type 0x1B), its PES packets are reassembled, and each
 * access unit's Annex B NAL units are scanned for an IDR slice and for a {@link FrameMark}. A segment
 * starts with PAT/PMT and a PES packet (RFC 8216 §3.2), so segments are read independently.
 */
final class TsVideoReader {

  /** One video access unit: whether it holds an IDR slice, and its mark if it has one. */
  record AccessUnit(boolean keyframe, FrameMark.Mark mark) {
  }

  private static final int PACKET = 188;
  private static final int SYNC = 0x47;
  private static final int PID_PAT = 0;
  private static final int STREAM_TYPE_H264 = 0x1B;
  private static final int NAL_IDR = 5;
  private static final int NAL_SEI = 6;

  private TsVideoReader() {
  }

  static List<AccessUnit> read(ByteBuf ts) {
    List<AccessUnit> units = new ArrayList<>();
    int pmtPid = -1;
    int videoPid = -1;
    ByteBuf pes = null;
    for (int at = ts.readerIndex(); at + PACKET <= ts.writerIndex(); at += PACKET) {
      if (ts.getUnsignedByte(at) != SYNC) {
        break;
      }
      int pid = (ts.getUnsignedByte(at + 1) & 0x1F) << 8 | ts.getUnsignedByte(at + 2);
      boolean start = (ts.getByte(at + 1) & 0x40) != 0;
      int control = ts.getUnsignedByte(at + 3) >> 4 & 0x3;
      int payload = at + 4 + ((control & 0x2) != 0 ? 1 + ts.getUnsignedByte(at + 4) : 0);
      if ((control & 0x1) == 0 || payload >= at + PACKET) {
        continue;
      }
      if (pid == PID_PAT && start) {
        pmtPid = firstProgramPid(ts, payload + 1 + ts.getUnsignedByte(payload));
      } else if (pid == pmtPid && start) {
        videoPid = videoPid(ts, payload + 1 + ts.getUnsignedByte(payload));
      } else if (pid == videoPid) {
        if (start) {
          finish(pes, units);
          pes = Unpooled.buffer();
        }
        if (pes != null) {
          pes.writeBytes(ts, payload, at + PACKET - payload);
        }
      }
    }
    finish(pes, units);
    return units;
  }

  /** PAT (§2.4.4.3): the PID of the first program that is not the network PID. */
  private static int firstProgramPid(ByteBuf ts, int section) {
    int end = section + 3 + (ts.getUnsignedShort(section + 1) & 0xFFF) - 4;
    for (int at = section + 8; at + 4 <= end; at += 4) {
      if (ts.getUnsignedShort(at) != 0) {
        return ts.getUnsignedShort(at + 2) & 0x1FFF;
      }
    }
    return -1;
  }

  /** PMT (§2.4.4.8): the PID of the H.264 stream. */
  private static int videoPid(ByteBuf ts, int section) {
    int end = section + 3 + (ts.getUnsignedShort(section + 1) & 0xFFF) - 4;
    int at = section + 12 + (ts.getUnsignedShort(section + 10) & 0xFFF);
    while (at + 5 <= end) {
      if (ts.getUnsignedByte(at) == STREAM_TYPE_H264) {
        return ts.getUnsignedShort(at + 1) & 0x1FFF;
      }
      at += 5 + (ts.getUnsignedShort(at + 3) & 0xFFF);
    }
    return -1;
  }

  /** A whole PES packet: skip its header (§2.4.3.6), then scan the Annex B stream. */
  private static void finish(ByteBuf pes, List<AccessUnit> units) {
    if (pes == null || pes.readableBytes() < 9 || pes.getMedium(0) != 1) {
      return;
    }
    int start = 9 + pes.getUnsignedByte(8);
    boolean keyframe = false;
    FrameMark.Mark mark = null;
    int end = pes.writerIndex();
    for (int at = start; at + 3 < end; at++) {
      if (pes.getByte(at) == 0 && pes.getByte(at + 1) == 0 && pes.getByte(at + 2) == 1) {
        int nal = at + 3;
        int type = pes.getByte(nal) & 0x1F;
        keyframe |= type == NAL_IDR;
        if (type == NAL_SEI && mark == null && nal + FrameMark.SEI_NAL_LENGTH <= end) {
          mark = FrameMark.readSei(pes, nal);
        }
        at = nal;
      }
    }
    units.add(new AccessUnit(keyframe, mark));
  }
}
