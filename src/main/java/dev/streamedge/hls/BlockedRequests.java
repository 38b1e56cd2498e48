package dev.streamedge.hls;

import dev.streamedge.net.WireBuffers;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The LL-HLS requests of one stream that wait (RFC 8216bis §6.2.5.2 blocking playlist reload, and
 * the part named by EXT-X-PRELOAD-HINT): each is a parked promise, no thread. They are answered when
 * the muxer makes what they wait for, with 503 when the stream stalls, and with 404 when packaging
 * stops. Bounded node-wide: one counter shared by every stream's instance, {@code hls.max-blocked-requests}.
 * Used on the stream's HLS context.
 */
final class BlockedRequests {

  /** The most answers kept per form (full, delta); the stream's URL forms are fewer. */
  private static final int MAX_RENDERED = 8;

  /** A request waiting for segment {@code msn} (and part {@code part}, or -1), or for part {@code partNumber}. */
  private record Parked(long msn, int part, long partNumber, String prefix, boolean skip,
      Promise<HlsReply> reply) {
  }

  private final HlsMuxer muxer;
  private final AtomicInteger nodeBlocked;
  private final int maxBlocked;
  private final ArrayDeque<Parked> parked = new ArrayDeque<>();
  /**
   * The answers rendered at {@link #renderedVersion} of the window, by URI prefix, full and delta: an answer
   * that need not wait is rendered once per change of the window (a part, every 200 ms by default), not per
   * request. A render (the whole playlist, a date per segment, and a copy to direct memory) was a tenth of
   * the allocation of 2000 LL-HLS players (bench/RESULTS.md). The prefixes are the stream's URL forms: a
   * few entries, and never more than {@link #MAX_RENDERED} of each form.
   */
  private final Map<String, HlsReply> rendered = new HashMap<>();
  private final Map<String, HlsReply> renderedDelta = new HashMap<>();
  private long renderedVersion = -1;

  BlockedRequests(HlsMuxer muxer, AtomicInteger nodeBlocked, int maxBlocked) {
    this.muxer = muxer;
    this.nodeBlocked = nodeBlocked;
    this.maxBlocked = maxBlocked;
  }

  /**
   * A playlist request with {@code _HLS_msn} {@code msn} (-1 without) and {@code _HLS_part} {@code
   * part} (-1 without): answered now when the playlist has them (or with 400 when it never will soon
   * enough), else parked. Requires the muxer to be ready.
   */
  void playlist(long msn, int part, String prefix, boolean skip, Promise<HlsReply> reply) {
    if (msn >= 0) {
      HlsWindow window = muxer.window();
      long last = window.lastSequence();
      // §6.2.5.2: more than two segments ahead, or a part more than the Advance Part Limit ahead.
      if (msn > last + 2 || part >= 0 && partsAhead(msn, part) > advancePartLimit()) {
        reply.complete(HlsReply.BAD_REQUEST);
        return;
      }
      if (!has(msn, part)) {
        park(new Parked(msn, part, -1, prefix, skip, reply));
        return;
      }
    }
    reply.complete(playlistReply(prefix, skip));
  }

  /** A part request: served when kept, parked when it is the next one (the preload hint), else 404. */
  void part(long number, Promise<HlsReply> reply) {
    var part = muxer.window().part(number);
    if (part.isPresent()) {
      reply.complete(HlsReply.ok(part.get().data()));
    } else if (number == muxer.window().nextPartNumber() && muxer.ready()) {
      park(new Parked(-1, -1, number, null, false, reply));
    } else {
      reply.complete(HlsReply.NOT_FOUND);
    }
  }

  /** After the muxer made a part or a segment: answers the requests it satisfies. */
  void progress() {
    if (parked.isEmpty()) {
      return;
    }
    HlsWindow window = muxer.window();
    for (Iterator<Parked> it = parked.iterator(); it.hasNext();) {
      Parked p = it.next();
      HlsReply answer = null;
      if (p.partNumber() >= 0) {
        if (p.partNumber() < window.nextPartNumber()) {
          answer = window.part(p.partNumber()).map(part -> HlsReply.ok(part.data())).orElse(HlsReply.NOT_FOUND);
        }
      } else if (has(p.msn(), p.part())) {
        answer = playlistReply(p.prefix(), p.skip());
      }
      if (answer != null) {
        it.remove();
        nodeBlocked.decrementAndGet();
        p.reply().tryComplete(answer);
      }
    }
  }

  /** Answers every parked request with {@code reply}: the stream stalled (503) or packaging stopped (404). */
  void answerAll(HlsReply reply) {
    nodeBlocked.addAndGet(-parked.size());
    parked.forEach(p -> p.reply().tryComplete(reply));
    parked.clear();
  }

  boolean isEmpty() {
    return parked.isEmpty();
  }

  private void park(Parked request) {
    if (nodeBlocked.incrementAndGet() > maxBlocked) {
      nodeBlocked.decrementAndGet();
      request.reply().complete(HlsReply.UNAVAILABLE);
      return;
    }
    parked.addLast(request);
  }

  /** Rendered once for all the requests it answers, in memory every response sends as it is. */
  private HlsReply playlistReply(String prefix, boolean skip) {
    HlsWindow window = muxer.window();
    if (window.version() != renderedVersion) {
      rendered.clear();
      renderedDelta.clear();
      renderedVersion = window.version();
    }
    Map<String, HlsReply> kept = skip ? renderedDelta : rendered;
    HlsReply reply = kept.get(prefix);
    if (reply == null) {
      reply = HlsReply.ok(WireBuffers.sharedCopy(window.playlist(muxer.targetDurationSeconds(), prefix,
          HlsVariant.LOW_LATENCY, skip).getBytes(StandardCharsets.UTF_8)));
      if (kept.size() >= MAX_RENDERED) {
        kept.clear();
      }
      kept.put(prefix, reply);
    }
    return reply;
  }

  /**
   * Whether the playlist has segment {@code msn} (finished) or, with {@code part} at least 0, that
   * part of it. §6.2.5.2: a part index past a finished segment's last part is part 0 of the next.
   */
  private boolean has(long msn, int part) {
    HlsWindow window = muxer.window();
    long last = window.lastSequence();
    if (part < 0) {
      return msn <= last;
    }
    if (msn <= last) {
      int parts = window.partsOf(msn);
      return parts < 0 || part < parts || msn + 1 <= last || window.openParts() > 0;
    }
    return msn == last + 1 && window.openParts() > part;
  }

  /** How many parts beyond the last one of the playlist the requested one is (0 or less: it exists). */
  private long partsAhead(long msn, int part) {
    HlsWindow window = muxer.window();
    long open = window.lastSequence() + 1;
    if (msn < open) {
      return 0;
    }
    long lastPart = window.openParts() - 1;
    long perSegment = (muxer.targetDurationSeconds() * 1000L + muxer.partTargetMillis() - 1)
        / muxer.partTargetMillis();
    return (msn - open) * perSegment + part - lastPart;
  }

  /** §6.2.5.2: three divided by the part target when it is under a second, else three. */
  private long advancePartLimit() {
    long target = muxer.partTargetMillis();
    return target < 1000 ? (3000 + target - 1) / target : 3;
  }
}
