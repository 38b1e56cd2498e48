package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets since the last sync point (video keyframe; each audio frame of an audio-only stream),
 * so a player that joins mid-stream starts decoding at once instead of at the next keyframe. Bounded
 * by bytes and frames: a GOP that outgrows the bounds is dropped and caching resumes at the next sync
 * point. Holds references to the shared packets, never copies. Not thread-safe: used on the stream's
 * home context only.
 */
public final class GopCache {

  private final long maxBytes;
  private final int maxFrames;
  private final List<MediaPacket> packets = new ArrayList<>();
  private long bytes;
  private boolean overflowed;

  public GopCache(long maxBytes, int maxFrames) {
    this.maxBytes = maxBytes;
    this.maxFrames = maxFrames;
  }

  /** Adds a media packet (not configuration: that goes to the {@link MetaCache}). */
  public void add(MediaPacket packet) {
    if (maxBytes == 0) {
      return;
    }
    if (packet.isSync()) {
      clear();
    } else if (overflowed || packets.isEmpty()) {
      return;
    }
    if (bytes + packet.size() > maxBytes || packets.size() >= maxFrames) {
      clear();
      overflowed = true;
      return;
    }
    packets.add(packet);
    bytes += packet.size();
  }

  public void clear() {
    packets.clear();
    bytes = 0;
    overflowed = false;
  }

  /** A copy of the cached packets, oldest first. */
  public List<MediaPacket> snapshot() {
    return List.copyOf(packets);
  }

  /** What a joining player needs first: the stream's latest configuration, then the cached GOP. */
  public List<MediaPacket> startPackets(MetaCache meta) {
    List<MediaPacket> start = new ArrayList<>(packets.size() + 3);
    meta.addTo(start);
    start.addAll(packets);
    return start;
  }

  public long bytes() {
    return bytes;
  }

  public int frames() {
    return packets.size();
  }
}
