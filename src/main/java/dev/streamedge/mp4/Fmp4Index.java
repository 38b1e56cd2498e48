package dev.streamedge.mp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The index of a fragmented MP4 file (ISO/IEC 14496-12 §8.8): its first H.264 and first AAC track as the
 * {@code moov} declares them, and a table of its movie fragments: each {@code moof}'s place and size, and
 * per track the decode time of its first sample there and whether the video's first is a sync sample, in
 * primitive arrays of at most 32 bytes a fragment. Reading it walks the top-level boxes by their headers
 * and reads each moof (at most {@value #MAX_MOOF} bytes) once, checking all of it as {@link Moof} does;
 * the samples themselves are read again a moof at a time by the cursors ({@link Fmp4Cursor}). Samples in the
 * moov's own tables (ffmpeg's frag_keyframe without empty_moov) are fragment 0, kept from the moov.
 *
 * <p>A moof counts once a whole box follows it (its mdat): a file cut short, as by a crash while it was
 * recorded, ends at its last whole fragment. Timeline: as {@link Mp4Index}'s; a track's fragment that
 * starts before its previous one ended (or has no tfdt) continues from where that one ended.
 *
 * <p>Immutable once read; its cursors read the file through the {@link Mp4Index.Source} it was read with.
 */
public final class Fmp4Index implements Mp4Samples {

  /** A moof holds sample tables only: one this large is no file a muxer writes. */
  static final int MAX_MOOF = 1 << 20;
  /** What one fragment may cost in the table, to bound it by the index size asked. */
  static final int FRAGMENT_BYTES = 32;
  private static final byte HAS_VIDEO = 1;
  private static final byte HAS_AUDIO = 2;
  private static final byte VIDEO_SYNC = 4;

  /** Where the fragment of the moov's own samples is, in {@link #moofAt}: no moof's place. */
  private static final long IN_MOOV = -1;

  final Mp4Index.Source file;
  /** The samples of the moov's own tables, fragment 0; null when it has none. */
  private final Moof inMoov;
  final long length;
  final FragmentTrack video;
  final FragmentTrack audio;
  final int fragments;
  final long[] moofAt;
  final int[] moofSize;
  /**
   * Per fragment, the decode time of the track's first sample there; in a fragment without the track, where
   * its previous fragment ended: never decreasing, so a binary search finds a time.
   */
  final long[] videoBase;
  final long[] audioBase;
  final byte[] flags;
  /** Added to every time so that none is negative. */
  final long shiftMillis;
  private final long durationMillis;

  private Fmp4Index(Mp4Index.Source file, long length, FragmentTrack video, FragmentTrack audio, Table table,
      Moof inMoov) {
    this.file = file;
    this.inMoov = inMoov;
    this.length = length;
    // A track without a sample in any fragment is left out, as Mp4Index leaves out one with empty tables.
    this.video = table.videoEnd < 0 ? null : video;
    this.audio = table.audioEnd < 0 ? null : audio;
    this.fragments = table.count;
    this.moofAt = Arrays.copyOf(table.moofAt, fragments);
    this.moofSize = Arrays.copyOf(table.moofSize, fragments);
    this.videoBase = Arrays.copyOf(table.videoBase, fragments);
    this.audioBase = Arrays.copyOf(table.audioBase, fragments);
    this.flags = Arrays.copyOf(table.flags, fragments);
    this.shiftMillis = -table.lowestMillis;
    this.durationMillis = Math.max(0, Math.max(this.video == null ? 0 : video.millis(table.videoEnd),
        this.audio == null ? 0 : audio.millis(table.audioEnd)));
  }

  /** Reads the index of a fragmented {@code file}, refusing a moov of more than {@code maxIndexBytes}. */
  public static Fmp4Index read(Mp4Index.Source file, long length, int maxIndexBytes) throws IOException {
    Fmp4Index index = read(file, length, maxIndexBytes, Movie.find(file, length, maxIndexBytes));
    if (index == null) {
      throw new Mp4FormatException("more samples in the moov's own tables than a moof may have");
    }
    return index;
  }

  /**
   * The index, the samples of the moov's own tables as its first fragment; null when they are more than a
   * moof may have ({@link Moof#ofTables}).
   */
  static Fmp4Index read(Mp4Index.Source file, long length, int maxIndexBytes, Movie.Found moov) throws IOException {
    Movie.Kept<FragmentTrack> kept = FragmentTrack.read(moov.body());
    FragmentTrack video = kept.video();
    FragmentTrack audio = kept.audio();
    Table table = new Table(maxIndexBytes / FRAGMENT_BYTES);
    Moof inMoov = null;
    if ((video != null || audio != null) && FragmentTrack.inMoov(moov.body())) {
      Mp4Index tables = Mp4Index.of(moov.body(), length);
      inMoov = Moof.ofTables(video == null ? null : tables.video(), audio == null ? null : tables.audio());
      if (inMoov == null) {
        return null;
      }
      table.add(IN_MOOV, 0, inMoov, video, audio);
    }
    if (video != null || audio != null) {
      ByteBuffer head = ByteBuffer.allocate(FileBoxes.MAX_HEADER);
      ByteBuffer body = ByteBuffer.allocate(0);
      long pending = -1;
      int pendingSize = 0;
      int pendingHeader = 0;
      int moofs = 0;
      long at = moov.end();
      while (length - at >= Boxes.HEADER) {
        FileBoxes.Header box = FileBoxes.read(file, head, at, length);
        if (box.size() < 0 || box.size() > length - at) {
          break; // a box cut short: the file ends here, and so does a moof it was the mdat of
        }
        if (pending >= 0) {
          if (body.capacity() < pendingSize - pendingHeader) {
            body = ByteBuffer.allocate(pendingSize - pendingHeader);
          }
          body.clear().limit(pendingSize - pendingHeader);
          FileBoxes.readFully(file, body, pending + pendingHeader);
          table.add(pending, pendingSize, Moof.parse(body.flip().slice(), pending, length, video, audio,
              Math.max(table.videoEnd, 0), Math.max(table.audioEnd, 0)), video, audio);
          pending = -1;
        }
        if (box.type() == Boxes.type("moof")) {
          if (++moofs > table.max) { // those without a sample of ours count too: each costs a read
            throw Table.tooMany(table.max);
          }
          if (box.size() > MAX_MOOF) {
            throw new Mp4FormatException("moof of " + box.size() + " bytes at " + at + ", above " + MAX_MOOF);
          }
          pending = at;
          pendingSize = (int) box.size();
          pendingHeader = box.header();
        }
        at += box.size();
      }
    }
    if (table.count == 0) {
      throw new Mp4FormatException("no H.264 or AAC track with samples in " + kept.traks() + " tracks");
    }
    return new Fmp4Index(file, length, video, audio, table, inMoov);
  }

  @Override
  public long durationMillis() {
    return durationMillis;
  }

  @Override
  public ByteBuf videoConfig() {
    return video == null ? null : Unpooled.copiedBuffer(video.config());
  }

  @Override
  public ByteBuf audioConfig() {
    return audio == null ? null : Unpooled.copiedBuffer(audio.config());
  }

  @Override
  public Fmp4Cursor cursor(long fromMillis) throws IOException {
    return Fmp4Cursor.from(this, fromMillis);
  }

  /** How many fragments the table holds. */
  int fragments() {
    return fragments;
  }

  boolean has(boolean isVideo, int fragment) {
    return (flags[fragment] & (isVideo ? HAS_VIDEO : HAS_AUDIO)) != 0;
  }

  boolean startsWithSync(int fragment) {
    return (flags[fragment] & VIDEO_SYNC) != 0;
  }

  /** The first fragment from {@code from} with samples of the track, or -1. */
  int nextWith(boolean isVideo, int from) {
    for (int i = Math.max(from, 0); i < fragments; i++) {
      if (has(isVideo, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The last fragment with samples of the track whose first is at or before {@code millis} (the track's), or -1. */
  int lastWithAtOrBefore(boolean isVideo, long millis) {
    FragmentTrack track = isVideo ? video : audio;
    long[] base = isVideo ? videoBase : audioBase;
    int low = 0;
    int high = fragments - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (track.millis(base[mid]) <= millis) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    while (found >= 0 && !has(isVideo, found)) {
      found--;
    }
    return found;
  }

  /** The fragment's samples, its moof read from the file again. */
  Moof read(int fragment) throws IOException {
    if (moofAt[fragment] == IN_MOOV) {
      return inMoov;
    }
    int header = Boxes.HEADER;
    ByteBuffer box = ByteBuffer.allocate(moofSize[fragment]);
    FileBoxes.readFully(file, box, moofAt[fragment]);
    if (Boxes.u32(box, 0) == 1) {
      header = FileBoxes.MAX_HEADER;
    }
    return Moof.parse(box.slice(header, box.limit() - header), moofAt[fragment], length, video, audio,
        videoBase[fragment], audioBase[fragment]);
  }

  /** The fragments as they are read, in arrays grown up to the bound. */
  private static final class Table {
    final int max;
    int count;
    long[] moofAt = new long[16];
    int[] moofSize = new int[16];
    long[] videoBase = new long[16];
    long[] audioBase = new long[16];
    byte[] flags = new byte[16];
    /** Where each track's last fragment ended; -1 before its first. */
    long videoEnd = -1;
    long audioEnd = -1;
    /** The least time or video presentation time, milliseconds, and 0. */
    long lowestMillis;

    Table(int max) {
      this.max = max;
    }

    static Mp4FormatException tooMany(int max) {
      return new Mp4FormatException("more than " + max + " fragments, the most an index of "
          + (long) max * FRAGMENT_BYTES + " bytes holds");
    }

    void add(long at, int size, Moof moof, FragmentTrack video, FragmentTrack audio) throws Mp4FormatException {
      if (moof.video == null && moof.audio == null) {
        return;
      }
      if (count == max) {
        throw tooMany(max);
      }
      if (count == moofAt.length) {
        int grown = (int) Math.min(max, 2L * count);
        moofAt = Arrays.copyOf(moofAt, grown);
        moofSize = Arrays.copyOf(moofSize, grown);
        videoBase = Arrays.copyOf(videoBase, grown);
        audioBase = Arrays.copyOf(audioBase, grown);
        flags = Arrays.copyOf(flags, grown);
      }
      moofAt[count] = at;
      moofSize[count] = size;
      byte flag = 0;
      if (moof.video != null) {
        flag |= HAS_VIDEO | (moof.video.sync[0] ? VIDEO_SYNC : 0);
        lowest(moof.video, video, true);
        videoEnd = moof.video.end;
      }
      if (moof.audio != null) {
        flag |= HAS_AUDIO;
        lowest(moof.audio, audio, false);
        audioEnd = moof.audio.end;
      }
      videoBase[count] = moof.video != null ? moof.video.dts[0] : Math.max(videoEnd, 0);
      audioBase[count] = moof.audio != null ? moof.audio.dts[0] : Math.max(audioEnd, 0);
      flags[count] = flag;
      count++;
    }

    /** Audio's presentation is its decode time here (compositionOffset 0): only video's offsets count. */
    private void lowest(Moof.Run run, FragmentTrack track, boolean isVideo) {
      lowestMillis = Math.min(lowestMillis, track.millis(run.dts[0]));
      if (isVideo) {
        for (int i = 0; i < run.count; i++) {
          lowestMillis = Math.min(lowestMillis, track.millis(run.dts[i] + run.composition[i]));
        }
      }
    }
  }
}
