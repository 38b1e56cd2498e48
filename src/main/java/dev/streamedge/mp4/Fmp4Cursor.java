package dev.streamedge.mp4;

import java.io.IOException;

/**
 * The samples of an {@link Fmp4Index} from a seek point on, both tracks merged as {@link Mp4Cursor} merges
 * them. Each track walks the fragments that have its samples, reading a fragment's moof when it gets there
 * (a moof both tracks are in is read once while they are both in it); so {@link #next()} blocks on the
 * file now and then, and fails with an {@link Mp4FormatException} if the moof is no longer what the index
 * read. Not thread-safe.
 */
public final class Fmp4Cursor implements SampleCursor {

  private final Fmp4Index index;
  private final Walker video;
  private final Walker audio;

  private Fmp4Cursor(Fmp4Index index) {
    this.index = index;
    this.video = index.video == null ? null : new Walker(true);
    this.audio = index.audio == null ? null : new Walker(false);
  }

  /**
   * From {@code fromMillis}, as {@link Mp4Samples#cursor} says. The video's last sync sample at or before
   * the time is in the last fragment that starts at or before it, or an earlier one: back from there to the
   * first that has one, which is no further than the last fragment that starts with a sync sample.
   */
  static Fmp4Cursor from(Fmp4Index index, long fromMillis) throws IOException {
    Fmp4Cursor cursor = new Fmp4Cursor(index);
    boolean placed = false;
    if (fromMillis > 0 && cursor.video != null) {
      long time = fromMillis - index.shiftMillis;
      for (int f = index.lastWithAtOrBefore(true, time); f >= 0 && !placed; f--) {
        if (!index.has(true, f)) {
          continue;
        }
        Moof moof = cursor.load(f);
        Moof.Run run = moof.video;
        for (int s = run == null ? -1 : run.count - 1; s >= 0 && !placed; s--) {
          if (run.sync[s] && index.video.millis(run.dts[s]) <= time) {
            cursor.video.place(f, moof, s);
            long at = index.video.millis(run.dts[s]) + index.shiftMillis;
            if (cursor.audio != null) {
              cursor.audio.afterLast(at - 1 - index.shiftMillis);
            }
            placed = true;
          }
        }
      }
    } else if (fromMillis > 0) {
      placed = cursor.audio.atLast(fromMillis - index.shiftMillis);
    }
    if (!placed) {
      if (cursor.video != null) {
        cursor.video.afterLast(Long.MIN_VALUE);
      }
      if (cursor.audio != null) {
        cursor.audio.afterLast(Long.MIN_VALUE);
      }
    }
    return cursor;
  }

  @Override
  public Mp4Sample next() throws IOException {
    boolean hasVideo = video != null && video.ready();
    boolean hasAudio = audio != null && audio.ready();
    if (hasVideo && (!hasAudio || video.nextMillis() <= audio.nextMillis())) {
      return video.next();
    }
    return hasAudio ? audio.next() : null;
  }

  /** Fragment {@code f}'s samples: the moof a walker is in already, or read. */
  private Moof load(int f) throws IOException {
    if (video != null && video.fragment == f && video.moof != null) {
      return video.moof;
    }
    if (audio != null && audio.fragment == f && audio.moof != null) {
      return audio.moof;
    }
    return index.read(f);
  }

  /** One track's place: a fragment, its samples, and the next sample in it. */
  private final class Walker {
    private final boolean isVideo;
    private final FragmentTrack track;
    private int fragment = -1;
    private Moof moof;
    private Moof.Run run;
    private int sample;

    Walker(boolean isVideo) {
      this.isVideo = isVideo;
      this.track = isVideo ? index.video : index.audio;
    }

    void place(int f, Moof at, int s) {
      fragment = f;
      moof = at;
      run = isVideo ? at.video : at.audio;
      sample = s;
    }

    /** Places the walker on its first sample after {@code millis} (the track's timeline). */
    void afterLast(long millis) throws IOException {
      int f = millis == Long.MIN_VALUE ? -1 : index.lastWithAtOrBefore(isVideo, millis);
      if (f < 0) {
        fragment = -1; // ready() takes the first fragment with samples
        return;
      }
      place(f, load(f), 0);
      while (run != null && sample < run.count && track.millis(run.dts[sample]) <= millis) {
        sample++;
      }
    }

    /** Places the walker on its last sample at or before {@code millis}; false if there is none. */
    boolean atLast(long millis) throws IOException {
      afterLast(millis);
      if (fragment < 0 || run == null || sample == 0) {
        return false;
      }
      sample--;
      return true;
    }

    /** Whether there is a next sample, reading the next fragment with one when this one is done. */
    boolean ready() throws IOException {
      while (run == null || sample >= run.count) {
        int next = index.nextWith(isVideo, fragment + 1);
        if (next < 0) {
          run = null;
          fragment = index.fragments();
          return false;
        }
        place(next, load(next), 0);
      }
      return true;
    }

    /** The next sample's timestamp; only after {@link #ready()}. */
    long nextMillis() {
      return track.millis(run.dts[sample]) + index.shiftMillis;
    }

    /** The next sample; only after {@link #ready()}. */
    Mp4Sample next() {
      long timestamp = nextMillis();
      int composition = 0;
      if (isVideo && run.composition[sample] != 0) {
        composition = (int) (track.millis(run.dts[sample] + run.composition[sample]) + index.shiftMillis - timestamp);
      }
      Mp4Sample found = new Mp4Sample(isVideo, timestamp, composition, !isVideo || run.sync[sample],
          run.offset[sample], run.size[sample]);
      sample++;
      return found;
    }
  }
}
