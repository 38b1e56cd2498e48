package dev.streamedge.hls;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The segments of one stream that are listed or still served, and the fMP4 init segments they need:
 * a ring of {@code playlistLength} listed plus the extra ones kept for players that are behind. Owns
 * what each variant's playlist lists; used on one thread.
 */
final class HlsWindow {

  private final int playlistLength;
  private final int capacity;
  private final Deque<HlsSegment> segments = new ArrayDeque<>();
  /** Init segments of the stored segments, by id. */
  private final Map<Long, Buffer> inits = new HashMap<>();

  HlsWindow(int playlistLength, int extraSegments) {
    this.playlistLength = playlistLength;
    this.capacity = playlistLength + extraSegments;
  }

  /** Adds the newest segment, with its init segment; the oldest beyond capacity go. */
  void add(HlsSegment segment, byte[] init) {
    inits.computeIfAbsent(segment.initId(), id -> Buffer.buffer(init));
    segments.addLast(segment);
    while (segments.size() > capacity) {
      segments.removeFirst();
      long oldestInit = segments.peekFirst().initId();
      inits.keySet().removeIf(id -> id < oldestInit);
    }
  }

  boolean isEmpty() {
    return segments.isEmpty();
  }

  /**
   * Whether {@code variant} has a playlist: a segment exists and, for MPEG-TS, the latest one carries
   * a track TS can (H.264 or AAC; a stream of HEVC and Opus has only the fMP4 variant).
   */
  boolean ready(HlsVariant variant) {
    return !segments.isEmpty() && (variant != HlsVariant.MPEGTS || segments.peekLast().data().length() > 0);
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

  Optional<Buffer> init(long id) {
    return Optional.ofNullable(inits.get(id));
  }

  /** The playlist of the latest {@code playlistLength} segments; see {@link MediaPlaylist#render}. */
  String playlist(int targetSeconds, String segmentUriPrefix, HlsVariant variant) {
    if (segments.isEmpty()) {
      throw new IllegalStateException("no HLS segment yet");
    }
    List<HlsSegment> all = new ArrayList<>(segments);
    return MediaPlaylist.render(all.subList(Math.max(0, all.size() - playlistLength), all.size()),
        targetSeconds, segmentUriPrefix, variant);
  }
}
