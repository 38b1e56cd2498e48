package dev.streamedge.record;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How much media a fragmented MP4 recording holds (ISO/IEC 14496-12): the end of its last whole
 * fragment, a {@code moof} followed by its complete {@code mdat}, as {@code tfdt}'s baseMediaDecodeTime
 * plus the {@code trun} sample durations, in each track's {@code mdhd} timescale; the longest track
 * counts. A file cut short by a crash ends in a torn fragment, which is left out as a player leaves it.
 * Blocking file reads: a worker thread's job. It walks the top-level boxes, one seek per box, and
 * reads only {@code moov} and the last whole {@code moof}, each at most {@value #MAX_BOX} bytes.
 */
final class Fmp4Duration {

  /** moov and moof are small (the sample tables are in moof); a larger one is no file of ours. */
  private static final int MAX_BOX = 1 << 20;
  private static final int HEADER = 8;

  private Fmp4Duration() {
  }

  /** The duration in milliseconds, empty when the file has no whole fragment or is no fMP4 we can read. */
  static OptionalLong of(RandomAccessFile in) throws IOException {
    long length = in.length();
    long at = 0;
    Map<Long, Long> timescales = new HashMap<>();
    long moof = -1;
    long moofSize = 0;
    long wholeMoof = -1;
    long wholeMoofSize = 0;
    while (at + HEADER <= length) {
      in.seek(at);
      long size = in.readInt() & 0xFFFFFFFFL;
      String type = type(in.readInt());
      int header = HEADER;
      if (size == 1) {
        size = in.readLong();
        header = 16;
      } else if (size == 0) {
        size = length - at;
      }
      if (size < header || at + size > length) {
        break; // a torn box: the file was cut here
      }
      if (type.equals("moov") && size <= MAX_BOX) {
        readTimescales(read(in, at + header, size - header), timescales);
      } else if (type.equals("moof")) {
        moof = at;
        moofSize = size;
      } else if (type.equals("mdat") && moof >= 0) {
        wholeMoof = moof;
        wholeMoofSize = moofSize;
        moof = -1;
      }
      at += size;
    }
    if (wholeMoof < 0 || wholeMoofSize > MAX_BOX || timescales.isEmpty()) {
      return OptionalLong.empty();
    }
    ByteBuffer box = read(in, wholeMoof + HEADER, wholeMoofSize - HEADER);
    long endMs = -1;
    for (ByteBuffer traf : children(box, "traf")) {
      long[] end = trackEnd(traf);
      Long timescale = timescales.get(end[0]);
      if (timescale != null && timescale > 0) {
        endMs = Math.max(endMs, end[1] * 1000 / timescale);
      }
    }
    return endMs < 0 ? OptionalLong.empty() : OptionalLong.of(endMs);
  }

  /** moov/trak: tkhd's track_ID to mdia/mdhd's timescale (§8.3.2, §8.4.2). */
  private static void readTimescales(ByteBuffer moov, Map<Long, Long> timescales) {
    for (ByteBuffer trak : children(moov, "trak")) {
      ByteBuffer tkhd = first(trak, "tkhd");
      ByteBuffer mdia = first(trak, "mdia");
      ByteBuffer mdhd = mdia == null ? null : first(mdia, "mdhd");
      if (tkhd == null || mdhd == null) {
        continue;
      }
      int tkhdVersion = tkhd.get(0);
      long trackId = tkhd.getInt(4 + (tkhdVersion == 1 ? 16 : 8)) & 0xFFFFFFFFL;
      int mdhdVersion = mdhd.get(0);
      long timescale = mdhd.getInt(4 + (mdhdVersion == 1 ? 16 : 8)) & 0xFFFFFFFFL;
      timescales.put(trackId, timescale);
    }
  }

  /** {track_ID, end of the fragment's samples} of one traf (§8.8.7 tfhd, §8.8.12 tfdt, §8.8.8 trun). */
  private static long[] trackEnd(ByteBuffer traf) {
    ByteBuffer tfhd = first(traf, "tfhd");
    ByteBuffer tfdt = first(traf, "tfdt");
    if (tfhd == null || tfdt == null) {
      return new long[] {-1, 0};
    }
    int tfhdFlags = tfhd.getInt(0) & 0xFFFFFF;
    long trackId = tfhd.getInt(4) & 0xFFFFFFFFL;
    int at = 8 + ((tfhdFlags & 0x01) != 0 ? 8 : 0) + ((tfhdFlags & 0x02) != 0 ? 4 : 0);
    long defaultDuration = (tfhdFlags & 0x08) != 0 ? tfhd.getInt(at) & 0xFFFFFFFFL : 0;
    long end = tfdt.get(0) == 1 ? tfdt.getLong(4) : tfdt.getInt(4) & 0xFFFFFFFFL;
    for (ByteBuffer trun : children(traf, "trun")) {
      int flags = trun.getInt(0) & 0xFFFFFF;
      long count = trun.getInt(4) & 0xFFFFFFFFL;
      int sample = 8 + ((flags & 0x01) != 0 ? 4 : 0) + ((flags & 0x04) != 0 ? 4 : 0);
      int fields = Integer.bitCount(flags & 0xF00);
      for (long i = 0; i < count; i++) {
        if ((flags & 0x100) == 0) {
          end += defaultDuration;
        } else if (sample + 4 <= trun.limit()) {
          end += trun.getInt(sample) & 0xFFFFFFFFL;
        }
        sample += 4 * fields;
      }
    }
    return new long[] {trackId, end};
  }

  private static ByteBuffer read(RandomAccessFile in, long from, long size) throws IOException {
    byte[] bytes = new byte[(int) size];
    in.seek(from);
    in.readFully(bytes);
    return ByteBuffer.wrap(bytes);
  }

  /** The bodies of {@code parent}'s child boxes of {@code type}, each a buffer of its own from 0. */
  private static List<ByteBuffer> children(ByteBuffer parent, String type) {
    List<ByteBuffer> found = new ArrayList<>();
    int at = 0;
    while (at + HEADER <= parent.limit()) {
      long size = parent.getInt(at) & 0xFFFFFFFFL;
      if (size < HEADER || at + size > parent.limit()) {
        break;
      }
      if (type(parent.getInt(at + 4)).equals(type)) {
        found.add(parent.slice(at + HEADER, (int) size - HEADER));
      }
      at += (int) size;
    }
    return found;
  }

  private static ByteBuffer first(ByteBuffer parent, String type) {
    List<ByteBuffer> found = children(parent, type);
    return found.isEmpty() ? null : found.get(0);
  }

  private static String type(int fourCc) {
    return new String(new byte[] {(byte) (fourCc >>> 24), (byte) (fourCc >>> 16), (byte) (fourCc >>> 8), (byte) fourCc},
        StandardCharsets.ISO_8859_1);
  }
}
