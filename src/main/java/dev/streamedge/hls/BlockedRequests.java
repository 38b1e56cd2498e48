package dev.streamedge.hls;

import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * LL-HLS requests that wait (RFC 8216bis §6.2.5.2 blocking playlist reload, and the part named by
 * EXT-X-PRELOAD-HINT): each is a parked promise, no thread. Each is answered from the first snapshot
 * that has what it waits for, with 503 when the stream stalls, and with 404 when packaging stops.
 * Bounded node-wide: one counter shared by every instance, {@code hls.max-blocked-requests}. Used on
 * one thread: the stream's HLS context, or one HTTP event loop ({@link LoopParking}).
 */
final class BlockedRequests {

  /** A request waiting for segment {@code msn} (and part {@code part}, or -1), or for part {@code partNumber}. */
  private record Parked(long msn, int part, long partNumber, String prefix, boolean skip,
      Promise<HlsReply> reply) {
  }

  private final AtomicInteger nodeBlocked;
  private final int maxBlocked;
  private final ArrayDeque<Parked> parked = new ArrayDeque<>();

  BlockedRequests(AtomicInteger nodeBlocked, int maxBlocked) {
    this.nodeBlocked = nodeBlocked;
    this.maxBlocked = maxBlocked;
  }

  /**
   * A playlist request with {@code _HLS_msn} {@code msn} (-1 without) and {@code _HLS_part} {@code
   * part} (-1 without): answered now when {@code now} has them (or with 400 when it never will soon
   * enough), else parked. {@code now} must have a segment.
   */
  void playlist(HlsSnapshot now, long msn, int part, String prefix, boolean skip, Promise<HlsReply> reply) {
    if (msn >= 0) {
      if (now.tooFarAhead(msn, part)) {
        reply.complete(HlsReply.BAD_REQUEST);
        return;
      }
      if (!now.has(msn, part)) {
        park(new Parked(msn, part, -1, prefix, skip, reply));
        return;
      }
    }
    reply.complete(HlsReply.ok(now.lowLatencyPlaylist(prefix, skip)));
  }

  /** A part request: served when kept, parked when it is the next one (the preload hint), else 404. */
  void part(HlsSnapshot now, long number, Promise<HlsReply> reply) {
    var part = now.part(number);
    if (part.isPresent()) {
      reply.complete(HlsReply.ok(part.get().data()));
    } else if (number == now.nextPartNumber() && now.lowLatencyReady()) {
      park(new Parked(-1, -1, number, null, false, reply));
    } else {
      reply.complete(HlsReply.NOT_FOUND);
    }
  }

  /** With a new snapshot: answers the requests it satisfies. */
  void progress(HlsSnapshot now) {
    if (parked.isEmpty()) {
      return;
    }
    for (Iterator<Parked> it = parked.iterator(); it.hasNext();) {
      Parked p = it.next();
      HlsReply answer = null;
      if (p.partNumber() >= 0) {
        if (p.partNumber() < now.nextPartNumber()) {
          answer = now.part(p.partNumber()).map(part -> HlsReply.ok(part.data())).orElse(HlsReply.NOT_FOUND);
        }
      } else if (now.has(p.msn(), p.part())) {
        // Rendered once per snapshot and prefix for all the requests it answers.
        answer = HlsReply.ok(now.lowLatencyPlaylist(p.prefix(), p.skip()));
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

  int size() {
    return parked.size();
  }

  private void park(Parked request) {
    if (nodeBlocked.incrementAndGet() > maxBlocked) {
      nodeBlocked.decrementAndGet();
      request.reply().complete(HlsReply.UNAVAILABLE);
      return;
    }
    parked.addLast(request);
  }
}
