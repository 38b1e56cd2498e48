package dev.streamedge.load;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the H.264 access units of an fMP4 fragment (an LL-HLS part or segment: {@code moof} +
 * {@code mdat} pairs, ISO/IEC 14496-12 §8.8) for the load generator: for each sample of track 1 (video,
 * as streamedge writes it), whether it is a sync sample and the {@link FrameMark} its NAL units carry.
 * NAL units are 4-byte length-prefixed ({@code avcC} lengthSizeMinusOne 3, as ffmpeg and OBS publish).
 * Malformed input ends the reading: what was read so far is returned.
 */
final class Fmp4VideoReader {

  private static final int VIDEO_TRACK = 1;
  /** §8.8.8.1 trun flags. */
  private static final int DATA_OFFSET = 0x000001;
  private static final int FIRST_SAMPLE_FLAGS = 0x000004;
  private static final int SAMPLE_DURATION = 0x000100;
  private static final int SAMPLE_SIZE = 0x000200;
  private static final int SAMPLE_FLAGS = 0x000400;
  private static final int SAMPLE_CTO = 0x000800;
  /** §8.8.3.1: sample_is_non_sync_sample. */
  private static final int NON_SYNC = 0x00010000;
  private static final int NAL_LENGTH = 4;

  private Fmp4VideoReader() {
  }

  static List<TsVideoReader.AccessUnit> read(ByteBuf data) {
    List<TsVideoReader.AccessUnit> units = new ArrayList<>();
    int at = data.readerIndex();
    int end = data.writerIndex();
    while (at + 8 <= end) {
      long size = data.getUnsignedInt(at);
      if (size < 8 || at + size > end) {
        break;
      }
      if (data.getInt(at + 4) == fourCc("moof")) {
        readMoof(data, at, (int) (at + size), units);
      }
      at += (int) size;
    }
    return units;
  }

  private static void readMoof(ByteBuf data, int moof, int moofEnd, List<TsVideoReader.AccessUnit> units) {
    for (int traf = moof + 8; traf + 8 <= moofEnd; traf += (int) data.getUnsignedInt(traf)) {
      if (data.getUnsignedInt(traf) < 8) {
        return;
      }
      if (data.getInt(traf + 4) != fourCc("traf")) {
        continue;
      }
      int trafEnd = traf + (int) data.getUnsignedInt(traf);
      int track = -1;
      for (int box = traf + 8; box + 8 <= trafEnd; box += (int) data.getUnsignedInt(box)) {
        if (data.getUnsignedInt(box) < 8) {
          return;
        }
        int type = data.getInt(box + 4);
        if (type == fourCc("tfhd")) {
          track = data.getInt(box + 12);
        } else if (type == fourCc("trun") && track == VIDEO_TRACK) {
          readTrun(data, moof, box, units);
        }
      }
    }
  }

  private static void readTrun(ByteBuf data, int moof, int trun, List<TsVideoReader.AccessUnit> units) {
    int flags = data.getInt(trun + 8) & 0xFFFFFF;
    int count = data.getInt(trun + 12);
    int at = trun + 16;
    int offset = 0;
    if ((flags & DATA_OFFSET) != 0) {
      offset = data.getInt(at);
      at += 4;
    }
    int firstFlags = -1;
    if ((flags & FIRST_SAMPLE_FLAGS) != 0) {
      firstFlags = data.getInt(at);
      at += 4;
    }
    int sample = moof + offset;
    for (int i = 0; i < count && (flags & SAMPLE_SIZE) != 0; i++) {
      at += (flags & SAMPLE_DURATION) != 0 ? 4 : 0;
      int size = data.getInt(at);
      at += 4;
      int sampleFlags = i == 0 && firstFlags >= 0 ? firstFlags : 0;
      if ((flags & SAMPLE_FLAGS) != 0) {
        sampleFlags = data.getInt(at);
        at += 4;
      }
      at += (flags & SAMPLE_CTO) != 0 ? 4 : 0;
      if (size < 0 || sample + size > data.writerIndex()) {
        return;
      }
      units.add(new TsVideoReader.AccessUnit((sampleFlags & NON_SYNC) == 0, mark(data, sample, sample + size)));
      sample += size;
    }
  }

  private static FrameMark.Mark mark(ByteBuf data, int at, int end) {
    while (at + NAL_LENGTH < end) {
      int length = data.getInt(at);
      int nal = at + NAL_LENGTH;
      if (length <= 0 || nal + length > end) {
        return null;
      }
      FrameMark.Mark mark = length == FrameMark.SEI_NAL_LENGTH ? FrameMark.readSei(data, nal) : null;
      if (mark != null) {
        return mark;
      }
      at = nal + length;
    }
    return null;
  }

  private static int fourCc(String type) {
    return type.charAt(0) << 24 | type.charAt(1) << 16 | type.charAt(2) << 8 | type.charAt(3);
  }
}
