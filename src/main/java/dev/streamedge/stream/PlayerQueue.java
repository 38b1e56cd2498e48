package dev.streamedge.stream;

import dev.streamedge.config.PlayerConfig;
import dev.streamedge.media.MediaPacket;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The bounded queue in front of one player's socket (the SRS "consumer"). While the socket keeps up,
 * packets go straight through with no clock read and no queueing. When the socket's own write queue
 * is full, packets wait here; when this queue holds more than {@code maxBytes} or its oldest packet has
 * waited longer than {@code maxDelayNanos}, the player skips: its queued frames are dropped (the latest
 * configuration of each kind is kept) and nothing but configuration is sent until the next sync
 * point, so audio and video stay in step. A player that stays behind for {@code maxBehindNanos} is
 * closed.
 *
 * <p>A player's lag counts what its socket still holds: a viewer that stopped reading leaves seconds of
 * media in the kernel's send buffer before the socket's own write queue fills. Now and then the queue
 * asks its output how many written bytes the peer has not acknowledged and, from marks of when the media
 * behind its written bytes was received, how long ago the oldest of them came in; past
 * {@code maxBehindNanos} the player is closed, whether or not its socket ever looked full. The lag grows
 * by at most the time that passes, so the next probe waits until it could first pass the limit: a player
 * in step with live is probed about once per {@code maxBehindNanos}. Used on the player's context only.
 */
public final class PlayerQueue {

  /** The shortest wait between two probes of a player that is close to max-behind. */
  private static final long MIN_PROBE_INTERVAL_NANOS = 100_000_000;

  /** The player's socket, as the queue sees it. */
  public interface Output {
    /** The socket's own write queue is full: write nothing more until {@link #drain}. */
    boolean full();

    void write(MediaPacket packet);

    /** Media bytes written so far, counted as they go on the wire. */
    long writtenBytes();

    /**
     * Bytes written that the peer has not acknowledged yet: what the socket's write queue and, where the
     * transport tells, the kernel hold. May cost a system call: asked once per probe, not per packet.
     */
    long unackedBytes();

    /** Writes every packet of {@code batch}, in one write where the format allows. */
    default void write(PacketBatch batch) {
      for (MediaPacket packet : batch.packets()) {
        write(packet);
      }
    }

    void close(String reason);
  }

  /**
   * What the queue tells the node's meters. Called on the player's context, at most once per packet,
   * so an implementation must be cheap and must not allocate.
   */
  public interface Events {
    /** Tells nothing, for queues nobody measures. */
    Events NONE = new Events() {
      @Override
      public void firstFrame(long nanos) {
      }

      @Override
      public void framesDropped(long frames) {
      }

      @Override
      public void closedBehind() {
      }
    };

    /** The first frame that is not configuration was written, {@code nanos} after the queue was made. */
    void firstFrame(long nanos);

    /** Frames were dropped to catch up with live. */
    void framesDropped(long frames);

    /** The player stayed behind for {@code player.max-behind} and is being closed. */
    void closedBehind();
  }

  private final Output output;
  private final Events events;
  private final long createdNanos = System.nanoTime();
  private final long maxBytes;
  private final long maxDelayNanos;
  private final long maxBehindNanos;
  private final long probeIntervalNanos;
  private final WriteMarks marks;
  private final ArrayDeque<MediaPacket> queue = new ArrayDeque<>();
  /** The latest configuration of each kind in the queue, while a skip drops the frames around it. */
  private final MetaCache kept = new MetaCache();
  private long queuedBytes;
  private boolean skipping;
  private long behindSince = -1;
  /**
   * Packets older than this count as received at this time: the GOP a player starts with and the
   * configuration kept after a skip are old by design, and are not lag of this player's making.
   */
  private long lagFloorNanos = createdNanos;
  /** No probe before this: until then the lag cannot have passed max-behind. */
  private long nextProbeNanos;
  private long dropped;
  private boolean frameWritten;
  private boolean closed;

  /** A queue with the {@code player.*} bounds of the configuration, reporting to {@code events}. */
  public PlayerQueue(Output output, PlayerConfig config, Events events) {
    this(output, config.queueMaxBytes().bytes(), config.queueMaxDelay().toNanos(), config.maxBehind().toNanos(),
        events);
  }

  public PlayerQueue(Output output, long maxBytes, long maxDelayNanos, long maxBehindNanos) {
    this(output, maxBytes, maxDelayNanos, maxBehindNanos, Events.NONE);
  }

  public PlayerQueue(Output output, long maxBytes, long maxDelayNanos, long maxBehindNanos, Events events) {
    this.output = output;
    this.events = events;
    this.maxBytes = maxBytes;
    this.maxDelayNanos = maxDelayNanos;
    this.maxBehindNanos = maxBehindNanos;
    this.probeIntervalNanos = Math.max(MIN_PROBE_INTERVAL_NANOS, maxBehindNanos / 16);
    this.marks = new WriteMarks(maxBehindNanos / (WriteMarks.CAPACITY / 2));
    this.nextProbeNanos = createdNanos + maxBehindNanos;
  }

  public void offer(MediaPacket packet) {
    if (closed) {
      return;
    }
    if (skipping) {
      if (!packet.isConfig()) {
        if (!packet.isSync() || output.full()) {
          dropped++;
          events.framesDropped(1);
          checkBehind(System.nanoTime());
          return;
        }
        skipping = false;
      }
    } else if (queue.isEmpty() && !output.full()) {
      write(packet);
      // In step with live, the packet's arrival is the clock: no clock read per packet.
      if (packet.receivedNanos() >= nextProbeNanos) {
        probe(packet.receivedNanos());
      }
      return;
    }
    queue.addLast(packet);
    queuedBytes += packet.size();
    drain();
    if (queue.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    long waitingSince = Math.max(queue.peekFirst().receivedNanos(), lagFloorNanos);
    if (queuedBytes > maxBytes || now - waitingSince > maxDelayNanos) {
      skip(now);
    }
    checkBehind(now);
  }

  /**
   * Offers the packets of {@code batch} from index {@code from} on. A player in step with live (nothing
   * queued, not skipping, the socket taking writes) gets the whole batch in one write; any other gets
   * the packets one by one, as {@link #offer(MediaPacket)} would.
   */
  public void offer(PacketBatch batch, int from) {
    if (closed) {
      return;
    }
    List<MediaPacket> packets = batch.packets();
    if (from == 0 && !skipping && queue.isEmpty() && !output.full()) {
      mark(packets.get(0).receivedNanos());
      output.write(batch);
      if (!frameWritten) {
        for (MediaPacket packet : packets) {
          if (!packet.isConfig()) {
            frameWritten = true;
            events.firstFrame(System.nanoTime() - createdNanos);
            break;
          }
        }
      }
      long last = packets.get(packets.size() - 1).receivedNanos();
      if (last >= nextProbeNanos) {
        probe(last);
      }
      return;
    }
    for (int i = from; i < packets.size() && !closed; i++) {
      offer(packets.get(i));
    }
  }

  /** Writes what the socket takes now; call it from the socket's drain handler too. */
  public void drain() {
    while (!queue.isEmpty() && !output.full()) {
      MediaPacket packet = queue.pollFirst();
      queuedBytes -= packet.size();
      write(packet);
    }
    if (queue.isEmpty() && !skipping) {
      behindSince = -1;
    }
  }

  /**
   * Writes everything queued, whether the socket takes it now or not: the stream ended, and what was
   * queued must reach the player before it is told so (a client stops reading at the end it is told
   * of). Bounded by the queue's own bound ({@code player.queue-max-bytes}), which held these bytes.
   */
  public void flush() {
    while (!queue.isEmpty()) {
      MediaPacket packet = queue.pollFirst();
      queuedBytes -= packet.size();
      write(packet);
    }
  }

  /** Frames dropped so far for this player. */
  public long dropped() {
    return dropped;
  }

  public long queuedBytes() {
    return queuedBytes;
  }

  public void close() {
    closed = true;
    queue.clear();
    queuedBytes = 0;
  }

  private void write(MediaPacket packet) {
    mark(packet.receivedNanos());
    output.write(packet);
    if (!frameWritten && !packet.isConfig()) {
      frameWritten = true;
      events.firstFrame(System.nanoTime() - createdNanos);
    }
  }

  private void skip(long now) {
    long droppedBefore = dropped;
    for (MediaPacket packet : queue) {
      if (packet.isConfig()) {
        kept.put(packet);
      } else {
        dropped++;
      }
    }
    queue.clear();
    events.framesDropped(dropped - droppedBefore);
    kept.addTo(queue);
    queuedBytes = kept.bytes();
    kept.clear();
    skipping = true;
    lagFloorNanos = now;
    if (behindSince < 0) {
      behindSince = now;
    }
  }

  /** Marks where the bytes of media received at {@code receivedNanos} start, once per mark interval. */
  private void mark(long receivedNanos) {
    long at = Math.max(receivedNanos, lagFloorNanos);
    if (marks.due(at)) {
      marks.add(output.writtenBytes(), at);
    }
  }

  private void checkBehind(long now) {
    if (behindSince >= 0 && now - behindSince > maxBehindNanos) {
      cut("");
    } else if (now >= nextProbeNanos) {
      probe(now);
    }
  }

  /**
   * Closes the player when the oldest media its peer has not acknowledged was received more than
   * max-behind ago; else waits with the next probe until the lag could first get there, since the oldest
   * unacknowledged byte only gets newer.
   */
  private void probe(long now) {
    long unacked = output.unackedBytes();
    long lag = unacked <= 0 ? 0 : Math.max(0, now - marks.receivedBy(output.writtenBytes() - unacked, now));
    if (lag > maxBehindNanos) {
      cut(" (" + unacked + " bytes written and not acknowledged)");
      return;
    }
    nextProbeNanos = now + Math.max(probeIntervalNanos, maxBehindNanos - lag);
  }

  private void cut(String detail) {
    closed = true;
    events.closedBehind();
    queue.clear();
    queuedBytes = 0;
    output.close("behind live for more than " + maxBehindNanos / 1_000_000 + " ms" + detail + ", " + dropped
        + " frames dropped");
  }
}
