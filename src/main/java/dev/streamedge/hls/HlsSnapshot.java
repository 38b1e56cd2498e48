package dev.streamedge.hls;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

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

  /** A kept init segment, which also keeps on-demand packaging going. */
  Optional<Buffer> init(long id) {
    return found(inits.get(id));
  }
}
