package dev.streamedge.mp4;

import static dev.streamedge.mp4.Mp4Builder.ascii;
import static dev.streamedge.mp4.Mp4Builder.box;
import static dev.streamedge.mp4.Mp4Builder.cat;
import static dev.streamedge.mp4.Mp4Builder.u32;
import static dev.streamedge.mp4.Mp4Builder.u64;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Small fragmented MP4 files built box by box (ISO/IEC 14496-12 §8.8), for tests and the fuzzer's seeds:
 * an init segment with an H.264 track (ID 1, timescale 12800, 25 fps is 512 units a frame) and an AAC track
 * (ID 2, 48 kHz), each with {@code trex} defaults, then one {@code moof} and {@code mdat} per
 * {@link #fragment}, its trafs' samples in the mdat one traf after the other. Video sample n of the file
 * is {@code 20 + n} bytes of {@code 0x10 + n}, audio sample n is 7 bytes of {@code 0x80 + n}, as in
 * {@link Mp4Builder}, so that a test can tell by the bytes at an offset which sample is there.
 */
final class Fmp4Builder {

  /** How a traf says where its data is (§8.8.7.1). */
  enum Base { MOOF, EXPLICIT, NEITHER }

  /** One traf: its tfhd, optional tfdt, and one trun; a null field is left out of the box. */
  static final class Traf {
    int track = 1;
    int count;
    Base base = Base.MOOF;
    Long tfdt;
    Long defaultDuration;
    Long defaultSize;
    Integer defaultFlags;
    Integer firstFlags;
    /** trun version 1: signed composition offsets. */
    boolean signed;
    long[] durations;
    boolean sizes = true;
    int[] flags;
    int[] compositions;
    /** Added to the data_offset written (which points at the samples). */
    int dataOffsetError;
  }

  long[] trexDuration = {0, 0};
  long[] trexSize = {0, 0};
  int[] trexFlags = {0, 0};
  final List<List<Traf>> fragments = new ArrayList<>();
  private int videoSamples;
  private int audioSamples;

  /** Adds a fragment of {@code trafs}. */
  Fmp4Builder fragment(Traf... trafs) {
    fragments.add(List.of(trafs));
    return this;
  }

  static Traf video(int count, long tfdt) {
    Traf traf = new Traf();
    traf.count = count;
    traf.tfdt = tfdt;
    traf.defaultDuration = 512L;
    return traf;
  }

  static Traf audio(int count, long tfdt) {
    Traf traf = video(count, tfdt);
    traf.track = 2;
    traf.defaultDuration = 1024L;
    traf.sizes = false;
    traf.defaultSize = 7L;
    return traf;
  }

  byte[] build() {
    videoSamples = 0;
    audioSamples = 0;
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(box("ftyp", ascii("iso6"), u32(0), ascii("iso6cmfc")));
    file.writeBytes(box("moov", box("mvhd", u32(0), u32(0), u32(0), u32(1000), u32(0), new byte[80]),
        trak(1, 12800, "vide", Mp4Builder.avc1()), trak(2, 48000, "soun", Mp4Builder.mp4a()),
        box("mvex", trex(1, 0), trex(2, 1))));
    for (List<Traf> fragment : fragments) {
      long at = file.size();
      List<byte[]> data = new ArrayList<>();
      List<int[]> sizes = new ArrayList<>();
      for (Traf traf : fragment) {
        int[] size = new int[traf.count];
        data.add(data(traf, size));
        sizes.add(size);
      }
      int moofSize = moof(fragment, data, sizes, at, 0).length;
      byte[] moof = moof(fragment, data, sizes, at, moofSize);
      file.writeBytes(moof);
      file.writeBytes(box("mdat", cat(data.toArray(new byte[0][]))));
    }
    return file.toByteArray();
  }

  private byte[] trex(int id, int i) {
    return box("trex", u32(0), u32(id), u32(1), u32(trexDuration[i]), u32(trexSize[i]), u32(trexFlags[i]));
  }

  private static byte[] trak(int id, int timescale, String handler, byte[] entry) {
    byte[] tkhd = box("tkhd", u32(3), u32(0), u32(0), u32(id), u32(0), u32(0), new byte[60]);
    byte[] stbl = box("stbl", box("stsd", u32(0), u32(1), entry), box("stts", u32(0), u32(0)),
        box("stsc", u32(0), u32(0)), box("stsz", u32(0), u32(0), u32(0)), box("stco", u32(0), u32(0)));
    return box("trak", tkhd, box("mdia", box("mdhd", u32(0), u32(0), u32(0), u32(timescale), u32(0), u32(0)),
        box("hdlr", u32(0), u32(0), ascii(handler), new byte[13]), box("minf", stbl)));
  }

  private byte[] data(Traf traf, int[] sizes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < traf.count; i++) {
      byte[] sample = traf.track == 1 ? Mp4Builder.filled(20 + videoSamples, 0x10 + videoSamples++)
          : Mp4Builder.filled(7, 0x80 + audioSamples++);
      sizes[i] = sample.length;
      out.writeBytes(sample);
    }
    return out.toByteArray();
  }

  /** The moof at {@code at}, its mdat's payload after it, knowing its own size ({@code moofSize}, 0 at first). */
  private static byte[] moof(List<Traf> fragment, List<byte[]> data, List<int[]> sizes, long at, int moofSize) {
    ByteArrayOutputStream trafs = new ByteArrayOutputStream();
    long dataAt = at + moofSize + 8;
    for (int t = 0; t < fragment.size(); t++) {
      Traf traf = fragment.get(t);
      int flags = (traf.base == Base.EXPLICIT ? 1 : 0) | (traf.base == Base.MOOF ? 0x020000 : 0)
          | (traf.defaultDuration != null ? 8 : 0) | (traf.defaultSize != null ? 0x10 : 0)
          | (traf.defaultFlags != null ? 0x20 : 0);
      byte[] tfhd = box("tfhd", u32(flags), u32(traf.track), traf.base == Base.EXPLICIT ? u64(dataAt) : new byte[0],
          traf.defaultDuration != null ? u32(traf.defaultDuration) : new byte[0],
          traf.defaultSize != null ? u32(traf.defaultSize) : new byte[0],
          traf.defaultFlags != null ? u32(traf.defaultFlags) : new byte[0]);
      byte[] tfdt = traf.tfdt == null ? new byte[0] : box("tfdt", u32(1 << 24), u64(traf.tfdt));
      // NEITHER: the first traf's base is the moof, a later one's where the previous one's data ended.
      boolean offset = traf.base == Base.MOOF || traf.base == Base.NEITHER && t == 0 || traf.dataOffsetError != 0;
      long base = traf.base == Base.EXPLICIT ? dataAt : at;
      int trunFlags = (offset ? 1 : 0) | (traf.firstFlags != null ? 4 : 0) | (traf.durations != null ? 0x100 : 0)
          | (traf.sizes ? 0x200 : 0) | (traf.flags != null ? 0x400 : 0) | (traf.compositions != null ? 0x800 : 0);
      ByteArrayOutputStream samples = new ByteArrayOutputStream();
      for (int i = 0; i < traf.count; i++) {
        samples.writeBytes(traf.durations != null ? u32(traf.durations[i]) : new byte[0]);
        samples.writeBytes(traf.sizes ? u32(sizes.get(t)[i]) : new byte[0]);
        samples.writeBytes(traf.flags != null ? u32(traf.flags[i]) : new byte[0]);
        samples.writeBytes(traf.compositions != null ? u32(traf.compositions[i]) : new byte[0]);
      }
      byte[] trun = box("trun", u32((traf.signed ? 1 << 24 : 0) | trunFlags), u32(traf.count),
          offset ? u32(dataAt - base + traf.dataOffsetError) : new byte[0],
          traf.firstFlags != null ? u32(traf.firstFlags) : new byte[0], samples.toByteArray());
      trafs.writeBytes(box("traf", tfhd, tfdt, trun));
      dataAt += data.get(t).length;
    }
    return box("moof", box("mfhd", u32(0), u32(1)), trafs.toByteArray());
  }

  /** {@code file} as a {@link Mp4Index.Source}. */
  static Mp4Index.Source source(byte[] file) {
    return (into, position) -> {
      if (position >= file.length) {
        return -1;
      }
      int n = (int) Math.min(into.remaining(), file.length - position);
      into.put(file, (int) position, n);
      return n;
    };
  }

  /** The index of {@code file} through {@link Mp4Samples#read}, the index size at most {@code maxIndexBytes}. */
  static Mp4Samples read(byte[] file, int maxIndexBytes) throws IOException {
    return Mp4Samples.read(source(file), file.length, maxIndexBytes);
  }

  static List<Mp4Sample> walk(SampleCursor cursor) throws IOException {
    List<Mp4Sample> samples = new ArrayList<>();
    for (Mp4Sample sample = cursor.next(); sample != null; sample = cursor.next()) {
      samples.add(sample);
    }
    return samples;
  }
}
