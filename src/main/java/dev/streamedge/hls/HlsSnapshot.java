package dev.streamedge.hls;

import dev.streamedge.dash.DashSegment;
import dev.streamedge.dash.DashTrack;
import dev.streamedge.dash.Manifest;
import dev.streamedge.net.WireBuffers;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * What one stream's packager has finished, as of its last part or segment: the kept segments, parts
 * and init segments, which never change once made. Immutable, so any HTTP event loop may serve from it
 * without the hop to the stream's HLS context (a task queued on another event loop, and one back): a
 * part or segment that is not in it (not made yet, or made since) goes the long way. The packager
 * publishes a new one at every part and segment. The MPEG-TS and fMP4 playlists, which list only
 * finished segments, are rendered here too, once per segment URI prefix, and kept while the segments
 * stay the same (from one part's snapshot to the next).
 */
final class HlsSnapshot {

  /**
   * Rendered playlists kept per variant: one per segment URI prefix, and the routes use two (the seed
   * URL's and the variant's own); more are rendered each time, not kept.
   */
  static final int MAX_KEPT_PLAYLISTS = 4;

  /** Marks a request to the packager: on-demand packaging goes on while requests come. */
  private final Runnable touch;
  private final List<HlsSegment> segments;
  private final List<HlsPart> parts;
  private final Map<Long, Buffer> inits;
  private final int playlistLength;
  private final int targetSeconds;
  /** Rendered MPEG-TS and fMP4 playlists by segment URI prefix, from any HTTP event loop. */
  private final Map<String, Buffer> tsPlaylists;
  private final Map<String, Buffer> fmp4Playlists;
  /** Rendered DASH MPDs (without their closing) by segment URI prefix. */
  private final Map<String, Buffer> manifests;

  /**
   * @param previous the packager's snapshot before this one, or null: its rendered playlists are kept
   *     when it has the same segments
   */
  HlsSnapshot(Runnable touch, List<HlsSegment> segments, List<HlsPart> parts, Map<Long, Buffer> inits,
      int playlistLength, int targetSeconds, HlsSnapshot previous) {
    this.touch = touch;
    this.segments = segments;
    this.parts = parts;
    this.inits = inits;
    this.playlistLength = playlistLength;
    this.targetSeconds = targetSeconds;
    boolean same = previous != null && previous.targetSeconds == targetSeconds
        && previous.playlistLength == playlistLength && sameItems(previous.segments, segments);
    this.tsPlaylists = same ? previous.tsPlaylists : new ConcurrentHashMap<>(4);
    this.fmp4Playlists = same ? previous.fmp4Playlists : new ConcurrentHashMap<>(4);
    this.manifests = same ? previous.manifests : new ConcurrentHashMap<>(4);
  }

  /** Whether both lists hold the same segment objects: a finished segment never changes. */
  private static boolean sameItems(List<HlsSegment> a, List<HlsSegment> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The MPEG-TS or fMP4 ({@code variant}) playlist of this snapshot with segment URIs starting with
   * {@code segmentUriPrefix}, which also keeps on-demand packaging going; empty when the variant has no
   * segment yet, and for LL-HLS, whose playlists list parts and block (the packager answers those).
   * The buffer is shared by every request that sends it: nobody may modify it.
   */
  Optional<Buffer> playlist(HlsVariant variant, String segmentUriPrefix) {
    if (variant == HlsVariant.LOW_LATENCY || !HlsWindow.ready(segments, variant)) {
      return Optional.empty();
    }
    Map<String, Buffer> kept = variant == HlsVariant.MPEGTS ? tsPlaylists : fmp4Playlists;
    Buffer rendered = kept.get(segmentUriPrefix);
    if (rendered == null) {
      // Two event loops may render the same one at once: the same bytes, and either is kept.
      rendered = WireBuffers.sharedCopy(HlsWindow.playlist(segments, playlistLength, targetSeconds, segmentUriPrefix,
          variant).getBytes(StandardCharsets.UTF_8));
      if (kept.size() < MAX_KEPT_PLAYLISTS) {
        kept.putIfAbsent(segmentUriPrefix, rendered);
      }
    }
    return found(rendered);
  }

  /**
   * The DASH MPD of the segments the playlists list ({@link Manifest#render}, without its closing), with
   * segment URLs starting with {@code segmentUriPrefix}; empty before a segment with DASH tracks.
   */
  Optional<Buffer> manifest(String segmentUriPrefix) {
    Buffer rendered = manifests.get(segmentUriPrefix);
    if (rendered == null) {
      List<DashSegment> listed = dashListed();
      if (listed.isEmpty()) {
        return Optional.empty();
      }
      rendered = WireBuffers.sharedCopy(Manifest.render(listed, targetSeconds, segmentUriPrefix, publishMillis())
          .getBytes(StandardCharsets.UTF_8));
      if (manifests.size() < MAX_KEPT_PLAYLISTS) {
        manifests.putIfAbsent(segmentUriPrefix, rendered);
      }
    }
    return found(rendered);
  }

  /**
   * The DASH MPD of this stream's segments and of its ladder's {@code renditions} ({@link Manifest#render(List,
   * List, int, String, long)}), without its closing; rendered at each call (it depends on other streams'
   * snapshots); empty before a segment with DASH tracks.
   */
  Optional<Buffer> ladderManifest(String segmentUriPrefix, List<Manifest.Rendition> renditions) {
    List<DashSegment> listed = dashListed();
    if (listed.isEmpty()) {
      return Optional.empty();
    }
    return found(Buffer.buffer(Manifest.render(listed, renditions, targetSeconds, segmentUriPrefix, publishMillis())));
  }

  /** Keeps on-demand packaging going, as a request for what this snapshot has would. */
  void touch() {
    touch.run();
  }

  /** The DASH side of the segments the playlists list, oldest first; segments without DASH tracks left out. */
  List<DashSegment> dashListed() {
    List<DashSegment> listed = new ArrayList<>(playlistLength);
    for (HlsSegment segment : segments.subList(Math.max(0, segments.size() - playlistLength), segments.size())) {
      if (segment.dash() != null) {
        listed.add(segment.dash());
      }
    }
    return listed;
  }

  /** MPD@publishTime: when the newest segment ended, by its date. */
  private long publishMillis() {
    HlsSegment newest = segments.get(segments.size() - 1);
    return newest.programDateTimeMillis() + newest.durationMillis();
  }

  /** A kept segment's DASH track of run {@code initId} starting at {@code time}; see {@link HlsService#dashMedia}. */
  Optional<Buffer> dashMedia(long initId, long time, boolean video) {
    for (HlsSegment segment : segments) {
      DashSegment dash = segment.dash();
      DashTrack track = dash == null || dash.run().initId() != initId ? null : dash.track(video, time);
      if (track != null) {
        return found(track.data());
      }
    }
    return Optional.empty();
  }

  /** The DASH init segment of a track of run {@code initId}, while a kept segment is of that run. */
  Optional<Buffer> dashInit(long initId, boolean video) {
    for (HlsSegment segment : segments) {
      DashSegment dash = segment.dash();
      if (dash != null && dash.run().initId() == initId) {
        return Optional.ofNullable(video ? dash.run().videoInit() : dash.run().audioInit()).flatMap(this::found);
      }
    }
    return Optional.empty();
  }

  /** A kept segment, which also keeps on-demand packaging going. */
  Optional<HlsSegment> segment(long sequence) {
    // Sequence numbers count up by one from the first kept segment.
    return found(byNumber(segments, sequence, HlsSegment::sequence));
  }

  /** A kept part, which also keeps on-demand packaging going. */
  Optional<HlsPart> part(long number) {
    // Part numbers count up by one over the packager's life.
    return found(byNumber(parts, number, HlsPart::number));
  }

  /** The item numbered {@code number} of {@code items}, numbered one up from the first, or null. */
  private static <T> T byNumber(List<T> items, long number, ToLongFunction<T> numberOf) {
    if (items.isEmpty()) {
      return null;
    }
    long index = number - numberOf.applyAsLong(items.get(0));
    if (index < 0 || index >= items.size()) {
      return null;
    }
    T item = items.get((int) index);
    return numberOf.applyAsLong(item) == number ? item : null;
  }

  private <T> Optional<T> found(T item) {
    if (item == null) {
      return Optional.empty();
    }
    touch.run();
    return Optional.of(item);
  }

  /** The AES-128 key {@code id} of the MPEG-TS segments, while a kept segment is encrypted with it. */
  Optional<Buffer> key(long id) {
    for (HlsSegment segment : segments) {
      if (segment.key() != null && segment.key().id() == id) {
        return found(segment.key().bytes());
      }
    }
    return Optional.empty();
  }

  /** A kept init segment, which also keeps on-demand packaging going. */
  Optional<Buffer> init(long id) {
    return found(inits.get(id));
  }
}
