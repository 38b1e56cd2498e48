package dev.streamedge.mp4;

import dev.streamedge.mp4.Boxes.Box;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One movie fragment's samples of the kept tracks (ISO/IEC 14496-12 §8.8.4): its {@code traf} boxes read
 * with their {@code tfhd} (§8.8.7), {@code tfdt} (§8.8.12) and {@code trun} (§8.8.8) boxes, what a box
 * leaves out taken from {@code tfhd}, then from {@code trex}. Each sample's bytes are checked to be in the
 * file, each time and composition offset against the limits of {@link TrackReader}, and the sample count
 * against {@link #MAX_SAMPLES}, so that a malformed fragment is an {@link Mp4FormatException}, never a
 * huge array.
 */
final class Moof {

  /** More samples than a 1 MiB moof can describe with 4 bytes each: no fragment of a real file. */
  static final int MAX_SAMPLES = 1 << 18;
  private static final int TFHD_BASE_DATA_OFFSET = 0x000001;
  private static final int TFHD_DESCRIPTION_INDEX = 0x000002;
  private static final int TFHD_DURATION = 0x000008;
  private static final int TFHD_SIZE = 0x000010;
  private static final int TFHD_FLAGS = 0x000020;
  private static final int TFHD_BASE_IS_MOOF = 0x020000;
  private static final int TRUN_DATA_OFFSET = 0x000001;
  private static final int TRUN_FIRST_FLAGS = 0x000004;
  private static final int TRUN_DURATION = 0x000100;
  private static final int TRUN_SIZE = 0x000200;
  private static final int TRUN_FLAGS = 0x000400;
  private static final int TRUN_COMPOSITION = 0x000800;

  /** One track's samples in this fragment, in decode order; times in media units. */
  static final class Run {
    int count;
    long[] dts = new long[16];
    long[] offset = new long[16];
    int[] size = new int[16];
    int[] composition = new int[16];
    boolean[] sync = new boolean[16];
    /** Where the last sample ends: its decode time plus its duration. */
    long end;

    private void add(long time, long at, int bytes, int offset, boolean syncSample) {
      if (count == dts.length) {
        int grown = count * 2;
        dts = Arrays.copyOf(dts, grown);
        this.offset = Arrays.copyOf(this.offset, grown);
        size = Arrays.copyOf(size, grown);
        composition = Arrays.copyOf(composition, grown);
        sync = Arrays.copyOf(sync, grown);
      }
      dts[count] = time;
      this.offset[count] = at;
      size[count] = bytes;
      composition[count] = offset;
      sync[count] = syncSample;
      count++;
    }
  }

  /** The video and audio samples; null for a track the fragment has none of. */
  final Run video;
  final Run audio;

  private Moof(Run video, Run audio) {
    this.video = video != null && video.count > 0 ? video : null;
    this.audio = audio != null && audio.count > 0 ? audio : null;
  }

  /**
   * The samples a {@code moov}'s own tables hold, as a fragment before the file's first moof: ffmpeg's
   * {@code frag_keyframe} without {@code empty_moov} writes its first fragment there. Null when a track has more
   * than {@link #MAX_SAMPLES}, as a moof may not.
   */
  static Moof ofTables(Track video, Track audio) {
    if (video != null && video.samples > MAX_SAMPLES || audio != null && audio.samples > MAX_SAMPLES) {
      return null;
    }
    return new Moof(run(video), run(audio));
  }

  private static Run run(Track track) {
    if (track == null) {
      return null;
    }
    Run run = new Run();
    for (TrackWalker walker = new TrackWalker(track, 0, 0); walker.hasNext(); walker.skip()) {
      run.add(walker.dts(), walker.offset(), walker.size(), walker.compositionOffset(), walker.keyframe());
    }
    run.end = track.end();
    return run;
  }

  /**
   * The samples of the moof at {@code at} in a {@code length}-byte file, its payload {@code moof}. Each
   * track's first sample is at its {@code tfdt}, or at {@code videoStart} / {@code audioStart} (where its
   * previous fragment ended) without one or when the tfdt is earlier: a track's decode times never go back.
   */
  static Moof parse(ByteBuffer moof, long at, long length, FragmentTrack videoTrack, FragmentTrack audioTrack,
      long videoStart, long audioStart) throws Mp4FormatException {
    Run video = videoTrack == null ? null : new Run();
    Run audio = audioTrack == null ? null : new Run();
    if (video != null) {
      video.end = videoStart;
    }
    if (audio != null) {
      audio.end = audioStart;
    }
    int[] samples = {0};
    long dataEnd = at;
    for (Box box : Boxes.children(moof, 0, "moof")) {
      if (box.type() != Boxes.type("traf")) {
        continue;
      }
      ByteBuffer traf = box.body();
      ByteBuffer tfhd = Boxes.required(traf, "tfhd", "traf");
      Boxes.need(tfhd, 8, "tfhd");
      int flags = tfhd.getInt(0) & 0xFFFFFF;
      long id = Boxes.u32(tfhd, 4);
      int field = 8;
      long base;
      if ((flags & TFHD_BASE_DATA_OFFSET) != 0) {
        Boxes.need(tfhd, field + 8L, "tfhd");
        base = tfhd.getLong(field);
        field += 8;
      } else {
        // §8.8.7.1: the moof, or, for a later traf without default-base-is-moof, where the previous one's data ended.
        base = (flags & TFHD_BASE_IS_MOOF) != 0 ? at : dataEnd;
      }
      if ((flags & TFHD_DESCRIPTION_INDEX) != 0) {
        field += 4; // only the first sample description is read
      }
      FragmentTrack track = videoTrack != null && id == videoTrack.id() ? videoTrack
          : audioTrack != null && id == audioTrack.id() ? audioTrack : null;
      long[] defaults = {track == null ? 0 : track.defaultDuration(), track == null ? 0 : track.defaultSize(),
          track == null ? 0 : track.defaultFlags()};
      int[] bits = {TFHD_DURATION, TFHD_SIZE, TFHD_FLAGS};
      for (int i = 0; i < 3; i++) {
        if ((flags & bits[i]) != 0) {
          Boxes.need(tfhd, field + 4L, "tfhd");
          defaults[i] = i == 2 ? tfhd.getInt(field) : Boxes.u32(tfhd, field);
          field += 4;
        }
      }
      Run run = track == null ? null : track == videoTrack ? video : audio;
      long time = run == null ? 0 : run.end;
      ByteBuffer tfdt = Boxes.child(traf, "tfdt", "traf");
      if (tfdt != null && run != null) {
        boolean wide = tfdt.limit() > 0 && tfdt.get(0) == 1;
        Boxes.need(tfdt, wide ? 12 : 8, "tfdt");
        long decodeTime = wide ? tfdt.getLong(4) : Boxes.u32(tfdt, 4);
        if (decodeTime < 0 || decodeTime > TrackReader.TIME_LIMIT) {
          throw new Mp4FormatException("tfdt of " + Long.toUnsignedString(decodeTime) + " out of range");
        }
        time = Math.max(time, decodeTime);
      }
      dataEnd = base;
      for (Box child : Boxes.children(traf, 0, "traf")) {
        if (child.type() == Boxes.type("trun")) {
          long[] state = {time, dataEnd};
          trun(child.body(), base, length, defaults, track, run, state, samples);
          time = state[0];
          dataEnd = state[1];
        }
      }
      if (run != null) {
        run.end = time;
      }
    }
    return new Moof(video, audio);
  }

  /**
   * §8.8.8 trun: its samples added to {@code run} (null: a track not kept, only where its data ends is
   * counted, for a later traf's base, and nothing of it is checked).
   * {@code state} is {decode time, data end} before the run, and after it on return.
   */
  private static void trun(ByteBuffer trun, long base, long length, long[] defaults, FragmentTrack track, Run run,
      long[] state, int[] samples) throws Mp4FormatException {
    Boxes.need(trun, 8, "trun");
    boolean signed = trun.get(0) != 0;
    int flags = trun.getInt(0) & 0xFFFFFF;
    long count = Boxes.u32(trun, 4);
    int field = 8;
    long at = state[1];
    if ((flags & TRUN_DATA_OFFSET) != 0) {
      Boxes.need(trun, field + 4L, "trun");
      at = base + trun.getInt(field); // signed, from the base data offset
      field += 4;
    }
    long firstFlags = -1;
    if ((flags & TRUN_FIRST_FLAGS) != 0) {
      Boxes.need(trun, field + 4L, "trun");
      firstFlags = Boxes.u32(trun, field);
      field += 4;
    }
    int perSample = 4 * Integer.bitCount(flags & 0xF00);
    if (count > MAX_SAMPLES - samples[0]) {
      throw new Mp4FormatException("moof with more than " + MAX_SAMPLES + " samples");
    }
    samples[0] += (int) count;
    Boxes.need(trun, field + count * perSample, "trun");
    long time = state[0];
    for (int i = 0; i < count; i++) {
      long duration = (flags & TRUN_DURATION) != 0 ? Boxes.u32(trun, field) : defaults[0];
      field += (flags & TRUN_DURATION) != 0 ? 4 : 0;
      long size = (flags & TRUN_SIZE) != 0 ? Boxes.u32(trun, field) : defaults[1];
      field += (flags & TRUN_SIZE) != 0 ? 4 : 0;
      // A sample's own flags, as ffmpeg reads them, come before first_sample_flags.
      long sampleFlags = i == 0 && firstFlags >= 0 ? firstFlags : defaults[2];
      if ((flags & TRUN_FLAGS) != 0) {
        sampleFlags = trun.getInt(field);
        field += 4;
      }
      long composition = 0;
      if ((flags & TRUN_COMPOSITION) != 0) {
        composition = signed ? trun.getInt(field) : Boxes.u32(trun, field);
        field += 4;
      }
      if (run != null) {
        if (size > Integer.MAX_VALUE || at < 0 || at > length || size > length - at) {
          throw new Mp4FormatException("trun sample at offset " + at + " of " + size + " bytes past the file's end at "
              + length);
        }
        if (composition > Integer.MAX_VALUE
            || Math.abs(composition) * 1000 / track.timescale() > TrackReader.MAX_COMPOSITION_MILLIS) {
          throw new Mp4FormatException("trun composition offset " + composition + " of timescale "
              + track.timescale() + " out of range");
        }
        run.add(time, at, (int) size, (int) composition, (sampleFlags & FragmentTrack.NON_SYNC) == 0);
        time += duration;
        if (time > TrackReader.TIME_LIMIT) {
          throw new Mp4FormatException("trun adds up past " + TrackReader.TIME_LIMIT + " units");
        }
      }
      at += size;
    }
    state[0] = time;
    state[1] = at;
  }
}
