package dev.streamedge.hls;

import dev.streamedge.net.WireBuffers;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What one stream lists and serves: a ring of {@code playlistLength} listed segments plus the extra
 * ones kept for players that are behind, the fMP4 init segments they need, and the LL-HLS parts of
 * the open segment and of the last {@link #PART_SEGMENTS} finished ones. Owns what each variant's
 * playlist lists, and answers whether a blocking request's segment or part exists. Used on one thread.
 */
public final class HlsWindow {

  /** Finished segments whose parts are kept; the playlist lists those of the last {@link #LISTED_PART_SEGMENTS}. */
  private static final int PART_SEGMENTS = 3;
  /** RFC 8216bis §4.4.4.9: parts further than three target durations from the end are not listed. */
  private static final int LISTED_PART_SEGMENTS = 2;

  private final int playlistLength;
  private final int capacity;
  /** The part target the playlist states: the segmenter fixes it at the stream's first part. */
  private final LongSupplier partTargetMillis;
  private final Deque<HlsSegment> segments = new ArrayDeque<>();
  /** Init segments of the stored segments, by id. */
  private final Map<Long, Buffer> inits = new HashMap<>();
  /** Parts of the last finished segments and of the open one, oldest first. */
  private final Deque<HlsPart> parts = new ArrayDeque<>();
  private OpenSegment open;
  private long nextPartNumber = 1;
  /** After {@link #close}, what comes is let go of at once: nobody would release it. */
  private boolean closed;
  /** Counts the changes to what a playlist shows, so that a rendered one can be kept until the next. */
  private long version;

  /**
   * Changes whenever what {@link #playlist} renders may change (a segment opened or added, a part added, the
   * window closed): a playlist rendered at one version is the playlist of that version.
   */
  long version() {
    return version;
  }

  /** The segment being written, as far as the playlist shows it before its parts. */
  record OpenSegment(long sequence, boolean discontinuity, long initId, long programDateTimeMillis) {
  }

  HlsWindow(int playlistLength, int extraSegments, LongSupplier partTargetMillis) {
    this.playlistLength = playlistLength;
    this.capacity = playlistLength + extraSegments;
    this.partTargetMillis = partTargetMillis;
  }

  /** A segment was opened; its parts follow. */
  void open(long sequence, boolean discontinuity, long initId, long programDateTimeMillis, long nextPart) {
    open = new OpenSegment(sequence, discontinuity, initId, programDateTimeMillis);
    nextPartNumber = nextPart;
    version++;
  }

  /** A part of the open segment is finished; {@code nextPart} is the number of the one after it. */
  void addPart(HlsPart part, long nextPart) {
    if (closed) {
      WireBuffers.release(part.data());
      return;
    }
    parts.addLast(part);
    nextPartNumber = nextPart;
    version++;
  }

  /** Adds the newest segment, with its init segment; the oldest beyond capacity go. */
  void add(HlsSegment segment, byte[] init) {
    if (closed) {
      release(segment);
      return;
    }
    inits.computeIfAbsent(segment.initId(), id -> WireBuffers.sharedCopy(init));
    segments.addLast(segment);
    open = null;
    version++;
    while (segments.size() > capacity) {
      release(segments.removeFirst());
      long oldestInit = segments.peekFirst().initId();
      inits.keySet().removeIf(id -> id < oldestInit);
    }
    long oldestWithParts = segment.sequence() - PART_SEGMENTS + 1;
    while (!parts.isEmpty() && parts.peekFirst().segmentSequence() < oldestWithParts) {
      WireBuffers.release(parts.removeFirst().data());
    }
  }

  /** The packaging stopped: the kept segments and parts go once no response sends them. */
  void close() {
    closed = true;
    version++;
    segments.forEach(HlsWindow::release);
    segments.clear();
    parts.forEach(part -> WireBuffers.release(part.data()));
    parts.clear();
  }

  /**
   * Lets go of the window's hold on a segment that leaves it: its memory and its file go once the
   * responses sending them are done (each took its own hold).
   */
  private static void release(HlsSegment segment) {
    WireBuffers.release(segment.data());
    WireBuffers.release(segment.fmp4());
    if (segment.dash() != null) {
      if (segment.dash().video() != null) {
        WireBuffers.release(segment.dash().video().data());
      }
      if (segment.dash().audio() != null) {
        WireBuffers.release(segment.dash().audio().data());
      }
    }
    segment.file().release();
  }

  boolean isEmpty() {
    return segments.isEmpty();
  }

  /**
   * Whether {@code variant} has a playlist: a segment exists and, for MPEG-TS, the latest one carries
   * a track TS can (H.264 or AAC; a stream of HEVC and Opus has only the fMP4 variants).
   */
  boolean ready(HlsVariant variant) {
    return !segments.isEmpty() && (variant != HlsVariant.MPEGTS || segments.peekLast().data().length() > 0);
  }

  /** As {@link #ready(HlsVariant)}, for a copy of the kept segments (oldest first). */
  static boolean ready(List<HlsSegment> kept, HlsVariant variant) {
    return !kept.isEmpty() && (variant != HlsVariant.MPEGTS || kept.get(kept.size() - 1).data().length() > 0);
  }

  /**
   * The MPEG-TS or fMP4 playlist of the last {@code playlistLength} of {@code kept} (oldest first, at
   * least one); a pure function of its arguments, so a snapshot renders it on any thread.
   */
  static String playlist(List<HlsSegment> kept, int playlistLength, int targetSeconds, String segmentUriPrefix,
      HlsVariant variant) {
    return MediaPlaylist.render(kept.subList(Math.max(0, kept.size() - playlistLength), kept.size()), targetSeconds,
        segmentUriPrefix, variant);
  }

  int playlistLength() {
    return playlistLength;
  }

  Optional<HlsSegment> segment(long sequence) {
    HlsSegment first = segments.peekFirst();
    if (first == null || sequence < first.sequence() || sequence > segments.peekLast().sequence()) {
      return Optional.empty();
    }
    return segments.stream().filter(s -> s.sequence() == sequence).findFirst();
  }

  List<HlsSegment> segments() {
    return List.copyOf(segments);
  }

  /** The kept parts, oldest first. */
  public List<HlsPart> parts() {
    return List.copyOf(parts);
  }

  /** The kept init segments by id. */
  Map<Long, Buffer> inits() {
    return Map.copyOf(inits);
  }

  Optional<Buffer> init(long id) {
    return Optional.ofNullable(inits.get(id));
  }

  /** A kept part by number. */
  Optional<HlsPart> part(long number) {
    HlsPart first = parts.peekFirst();
    if (first == null || number < first.number() || number > parts.peekLast().number()) {
      return Optional.empty();
    }
    return parts.stream().filter(p -> p.number() == number).findFirst();
  }

  /** The number of the part to come: the EXT-X-PRELOAD-HINT's. */
  long nextPartNumber() {
    return nextPartNumber;
  }

  /** Media sequence number of the last finished segment, or -1 before the first. */
  long lastSequence() {
    return segments.isEmpty() ? -1 : segments.peekLast().sequence();
  }

  /** Media sequence number of the first listed segment, or -1 before the first. */
  long firstListedSequence() {
    return segments.isEmpty() ? -1 : segments.peekLast().sequence() - Math.min(segments.size(), playlistLength) + 1;
  }

  /** Parts of the open segment so far. */
  int openParts() {
    if (open == null) {
      return 0;
    }
    int count = 0;
    for (HlsPart part : parts) {
      count += part.segmentSequence() == open.sequence() ? 1 : 0;
    }
    return count;
  }

  /**
   * The last segment and the index of its last part that the LL-HLS playlist shows (RFC 8216bis §4.4.5.4
   * LAST-MSN and LAST-PART): the open segment once it has a part, else the last finished one; -1 before.
   */
  RenditionReports.Progress progress() {
    int openParts = openParts();
    if (open != null && openParts > 0) {
      return new RenditionReports.Progress(open.sequence(), openParts - 1);
    }
    long last = lastSequence();
    int parts = last < 0 ? -1 : partsOf(last);
    return new RenditionReports.Progress(last, parts < 0 ? -1 : parts - 1);
  }

  /** Parts of the finished segment {@code sequence}, or -1 when they are no longer kept. */
  int partsOf(long sequence) {
    int count = 0;
    for (HlsPart part : parts) {
      count += part.segmentSequence() == sequence ? 1 : 0;
    }
    return count == 0 ? -1 : count;
  }

  /**
   * The playlist of the latest {@code playlistLength} segments; see {@link MediaPlaylist#render}.
   *
   * @param skip for LL-HLS, a delta update (RFC 8216bis §6.2.5.1: _HLS_skip)
   */
  String playlist(int targetSeconds, String segmentUriPrefix, HlsVariant variant, boolean skip) {
    if (segments.isEmpty()) {
      throw new IllegalStateException("no HLS segment yet");
    }
    List<HlsSegment> all = new ArrayList<>(segments);
    if (variant != HlsVariant.LOW_LATENCY) {
      return playlist(all, playlistLength, targetSeconds, segmentUriPrefix, variant);
    }
    List<HlsSegment> listed = all.subList(Math.max(0, all.size() - playlistLength), all.size());
    long firstWithParts = segments.peekLast().sequence() - LISTED_PART_SEGMENTS + 1;
    List<HlsPart> listedParts = parts.stream().filter(p -> p.segmentSequence() >= firstWithParts).toList();
    return MediaPlaylist.renderLowLatency(new MediaPlaylist.LowLatency(listed, listedParts, open, nextPartNumber,
        partTargetMillis.getAsLong(), skip), targetSeconds, segmentUriPrefix);
  }
}
