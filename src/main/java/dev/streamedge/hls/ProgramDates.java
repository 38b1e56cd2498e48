package dev.streamedge.hls;

import dev.streamedge.stream.StreamKey;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * One date-to-timestamp mapping per ladder. RFC 8216 §6.2.4: when the playlists of a master playlist carry
 * EXT-X-PROGRAM-DATE-TIME, their mappings of dates to media timestamps must agree. A transcoded rendition
 * reaches the packager a few hundred milliseconds after its source, with the same timestamps (ffmpeg
 * {@code -copyts}); dated by arrival, the same frame had two dates, and hls.js, which switches levels by
 * date, fetched the wrong part and stalled on a hole. So the members of a ladder share one anchor (a
 * timestamp and its date): a segment's date is the anchor's date plus its first frame's distance from the
 * anchor's timestamp.
 *
 * <p>The anchor is set by the first member to package and moved when a frame arrives more than {@link
 * #EARLY_MILLIS} before its date (the anchor was set by a member that lags, such as a rendition packaged
 * before its source) or more than {@link #LATE_MILLIS} after it (the timestamps restarted, jumped, or
 * drifted from the wall clock). A rendition's lag stays between the two, so it never moves the anchor of a
 * running source. Members live on different HLS contexts: the anchor is an immutable record in a concurrent
 * map, no lock is held. Bounded by the ladders being packaged: a ladder's entry goes with its last packager.
 */
final class ProgramDates {

  static final long EARLY_MILLIS = 250;
  static final long LATE_MILLIS = 2_000;

  private record Anchor(long timestamp, long date) {
  }

  /** A ladder's anchor and how many of its members are packaged. */
  private static final class Ladder {
    private volatile Anchor anchor;
    private int members;
  }

  private final Map<StreamKey, Ladder> ladders = new ConcurrentHashMap<>();
  private volatile HlsLadder ladder = HlsLadder.NONE;

  void ladder(HlsLadder ladder) {
    this.ladder = ladder;
  }

  /** The clock of {@code key}'s ladder (its own when it has none); {@link Clock#release} when it stops. */
  Clock acquire(StreamKey key) {
    StreamKey name = nameOf(key, ladder.siblings(key));
    Ladder shared = ladders.compute(name, (k, existing) -> {
      Ladder l = existing == null ? new Ladder() : existing;
      l.members++;
      return l;
    });
    return new Clock(name, shared);
  }

  /** Number of ladders with a packaged member, for tests. */
  int size() {
    return ladders.size();
  }

  /** The same for every member: the shortest name (the source's, which the renditions' extend). */
  private static StreamKey nameOf(StreamKey key, List<StreamKey> siblings) {
    return Stream.concat(Stream.of(key), siblings.stream())
        .min(Comparator.comparingInt((StreamKey k) -> k.name().length()).thenComparing(StreamKey::toString))
        .orElse(key);
  }

  /** One packager's view of its ladder's anchor. */
  final class Clock implements ProgramDateClock {
    private final StreamKey name;
    private final Ladder shared;
    private boolean released;

    private Clock(StreamKey name, Ladder shared) {
      this.name = name;
      this.shared = shared;
    }

    @Override
    public long dateOf(long timestampMillis, long arrivedMillis) {
      Anchor anchor = shared.anchor;
      if (anchor != null) {
        long date = anchor.date() + (timestampMillis - anchor.timestamp());
        long late = arrivedMillis - date;
        if (late >= -EARLY_MILLIS && late <= LATE_MILLIS) {
          return date;
        }
      }
      shared.anchor = new Anchor(timestampMillis, arrivedMillis);
      return arrivedMillis;
    }

    void release() {
      if (released) {
        return;
      }
      released = true;
      ladders.computeIfPresent(name, (k, l) -> --l.members == 0 ? null : l);
    }
  }
}
