package dev.streamedge.hls;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one stream's packager has finished, as of its last part or segment: the kept segments, parts
 * and init segments, which never change once made. Immutable, so any HTTP event loop may serve from it
 * without the hop to the stream's HLS context (a task queued on another event loop, and one back): a
 * part or segment that is not in it (not made yet, or made since) goes the long way. The packager
 * publishes a new one at every part and segment.
 */
final class HlsSnapshot {

  /** Marks a request to the packager: on-demand packaging goes on while requests come. */
  private final Runnable touch;
  private final List<HlsSegment> segments;
  private final List<HlsPart> parts;
  private final Map<Long, Buffer> inits;

  HlsSnapshot(Runnable touch, List<HlsSegment> segments, List<HlsPart> parts, Map<Long, Buffer> inits) {
    this.touch = touch;
    this.segments = segments;
    this.parts = parts;
    this.inits = inits;
  }

  /** A kept segment, which also keeps on-demand packaging going. */
  Optional<HlsSegment> segment(long sequence) {
    if (segments.isEmpty()) {
      return Optional.empty();
    }
    // Sequence numbers count up by one from the first kept segment.
    long index = sequence - segments.get(0).sequence();
    if (index < 0 || index >= segments.size() || segments.get((int) index).sequence() != sequence) {
      return Optional.empty();
    }
    touch.run();
    return Optional.of(segments.get((int) index));
  }

  /** A kept part, which also keeps on-demand packaging going. */
  Optional<HlsPart> part(long number) {
    if (parts.isEmpty()) {
      return Optional.empty();
    }
    // Part numbers count up by one over the packager's life.
    long index = number - parts.get(0).number();
    if (index < 0 || index >= parts.size() || parts.get((int) index).number() != number) {
      return Optional.empty();
    }
    touch.run();
    return Optional.of(parts.get((int) index));
  }

  /** A kept init segment, which also keeps on-demand packaging going. */
  Optional<Buffer> init(long id) {
    Buffer init = inits.get(id);
    if (init == null) {
      return Optional.empty();
    }
    touch.run();
    return Optional.of(init);
  }
}
