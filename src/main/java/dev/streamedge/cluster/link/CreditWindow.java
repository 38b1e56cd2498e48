package dev.streamedge.cluster.link;

import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.stream.MetaCache;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The origin's flow control towards one edge node for one stream. The clustered event bus has no
 * backpressure (a frozen receiver grows the sender's heap until it dies), so the edge acknowledges the
 * bytes it received and the origin keeps at most {@code windowBytes} unacknowledged. Out of credit, it
 * does not queue: it skips the edge ahead to the next sync point, keeping only the latest configuration
 * of each kind, and marks the first frame after the jump with {@code resync}. Used on the stream's
 * home context only.
 */
public final class CreditWindow {

  private final long link;
  private final long windowBytes;
  private long sequence;
  private long sentBytes;
  private long acknowledgedBytes;
  private boolean skipping;
  private long skipped;
  /** The latest configuration of each kind that came while skipping, sent before the next sync point. */
  private final MetaCache held = new MetaCache();
  /** The packets of a resync, reused. */
  private final List<MediaPacket> resync = new ArrayList<>(3);

  /** @param link the edge's number for this pull, carried by every frame */
  public CreditWindow(long link, long windowBytes) {
    this.link = link;
    this.windowBytes = windowBytes;
  }

  /** Hands {@code packet} to {@code send} when the window allows, else skips; may send held config first. */
  public void offer(MediaPacket packet, Consumer<MediaFrame> send) {
    if (skipping) {
      if (packet.isConfig()) {
        held.put(packet);
        return;
      }
      if (!packet.isSync() || !fits(packet.size() + held.bytes())) {
        skipped++;
        return;
      }
      skipping = false;
      held.addTo(resync);
      held.clear();
      resync.add(packet);
      for (int i = 0; i < resync.size(); i++) {
        send.accept(frame(resync.get(i), i == 0));
      }
      resync.clear();
      return;
    }
    if (fits(packet.size())) {
      send.accept(frame(packet, false));
      return;
    }
    skipping = true;
    if (packet.isConfig()) {
      held.put(packet);
    } else {
      skipped++;
    }
  }

  /** The edge has received {@code totalBytes} of frame bodies in all. Acknowledgements may come late or twice. */
  public void acknowledged(long totalBytes) {
    acknowledgedBytes = Math.max(acknowledgedBytes, Math.min(totalBytes, sentBytes));
  }

  /** Frames sent so far: the sequence number of the next one. */
  public long framesSent() {
    return sequence;
  }

  public long inFlightBytes() {
    return sentBytes - acknowledgedBytes;
  }

  /** Packets this edge did not get because it was out of credit. */
  public long skipped() {
    return skipped;
  }

  /** A packet fits when the window has room, or when nothing is in flight (a frame larger than the window). */
  private boolean fits(long bytes) {
    return inFlightBytes() == 0 || inFlightBytes() + bytes <= windowBytes;
  }

  private MediaFrame frame(MediaPacket packet, boolean resync) {
    sentBytes += packet.size();
    return new MediaFrame(link, sequence++, resync, packet.kind(), packet.timestamp(), packet.role(),
        packet.isConfig() && packet.kind() == MediaKind.DATA,
        WireBuffers.wrap(packet.body().duplicate()));
  }
}
