package dev.streamedge.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads ISO BMFF boxes (ISO/IEC 14496-12 §4.2) back, independently of the writer: the box tree of
 * a segment, and per track fragment its {@code tfdt} and the sum of its {@code trun} durations, so
 * tests can check that a track's timeline has neither gaps nor overlaps.
 */
public final class Mp4Check {

  /** Boxes that contain only boxes. */
  private static final List<String> CONTAINERS =
      List.of("moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex", "moof", "traf");

  /** One track fragment: its track, {@code tfdt}, samples and their total duration. */
  public record TrackFragment(int trackId, long baseDecodeTime, int samples, long duration) {
  }

  private Mp4Check() {
  }

  /** The box tree as text, e.g. {@code ftyp moov[mvhd trak[tkhd ...]]}; fails on a size mismatch. */
  public static String tree(byte[] data) {
    StringBuilder out = new StringBuilder();
    tree(ByteBuffer.wrap(data), out);
    return out.toString();
  }

  private static void tree(ByteBuffer in, StringBuilder out) {
    while (in.hasRemaining()) {
      int start = in.position();
      long size = Integer.toUnsignedLong(in.getInt());
      String type = type(in);
      if (size < 8 || start + size > in.limit()) {
        throw new AssertionError("box " + type + " at " + start + " has size " + size + " beyond " + in.limit());
      }
      if (!out.isEmpty() && out.charAt(out.length() - 1) != '[') {
        out.append(' ');
      }
      out.append(type);
      if (CONTAINERS.contains(type)) {
        out.append('[');
        tree(in.slice(start + 8, (int) size - 8), out);
        out.append(']');
      }
      in.position(start + (int) size);
    }
  }

  /** The track fragments of one media segment (moof + mdat), checking every trun's data offset. */
  public static List<TrackFragment> fragments(byte[] segment) {
    List<TrackFragment> result = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(segment);
    while (in.hasRemaining()) {
      int start = in.position();
      int size = in.getInt();
      String type = type(in);
      if (type.equals("moof")) {
        ByteBuffer moof = in.slice(start + 8, size - 8);
        while (moof.hasRemaining()) {
          int trafStart = moof.position();
          int trafSize = moof.getInt();
          if (type(moof).equals("traf")) {
            result.add(traf(moof.slice(trafStart + 8, trafSize - 8), segment.length - start));
          }
          moof.position(trafStart + trafSize);
        }
      }
      in.position(start + size);
    }
    return result;
  }

  private static TrackFragment traf(ByteBuffer traf, int bytesFromMoof) {
    int trackId = 0;
    long tfdt = -1;
    int samples = 0;
    long duration = 0;
    while (traf.hasRemaining()) {
      int start = traf.position();
      int size = traf.getInt();
      String type = type(traf);
      int versionFlags = traf.getInt();
      int version = versionFlags >>> 24;
      int flags = versionFlags & 0xFFFFFF;
      switch (type) {
        case "tfhd" -> trackId = traf.getInt();
        case "tfdt" -> tfdt = version == 1 ? traf.getLong() : Integer.toUnsignedLong(traf.getInt());
        case "trun" -> {
          samples = traf.getInt();
          int dataOffset = (flags & 1) != 0 ? traf.getInt() : 0;
          if ((flags & 4) != 0) {
            traf.getInt();
          }
          long bytes = 0;
          for (int i = 0; i < samples; i++) {
            duration += (flags & 0x100) != 0 ? Integer.toUnsignedLong(traf.getInt()) : 0;
            bytes += (flags & 0x200) != 0 ? traf.getInt() : 0;
            if ((flags & 0x400) != 0) {
              traf.getInt();
            }
            if ((flags & 0x800) != 0) {
              traf.getInt();
            }
          }
          if (dataOffset + bytes > bytesFromMoof) {
            throw new AssertionError("trun of track " + trackId + " points past the segment");
          }
        }
        default -> { }
      }
      traf.position(start + size);
    }
    return new TrackFragment(trackId, tfdt, samples, duration);
  }

  private static String type(ByteBuffer in) {
    byte[] type = new byte[4];
    in.get(type);
    return new String(type, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
