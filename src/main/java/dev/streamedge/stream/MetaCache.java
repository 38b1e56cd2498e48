package dev.streamedge.stream;

import dev.streamedge.media.MediaPacket;
import java.util.Collection;

/**
 * The latest configuration of a stream (the SRS "meta cache"): its onMetaData and its video and audio
 * sequence headers, one packet of each at most, the newest of its kind replacing the one before. What a
 * player needs before any frame it is given from a new point: when it joins, when it skips ahead, when a
 * link to another node resumes. Holds references to the shared packets, never copies. Not thread-safe:
 * each owner uses its own on one context.
 */
public final class MetaCache {

  private MediaPacket metadata;
  private MediaPacket video;
  private MediaPacket audio;

  /**
   * Keeps {@code config} as the latest of its kind: script data is metadata, the others are sequence
   * headers.
   *
   * @throws IllegalArgumentException when the packet is not configuration
   */
  public void put(MediaPacket config) {
    if (!config.isConfig()) {
      throw new IllegalArgumentException("not configuration: a " + config.role() + " packet");
    }
    switch (config.kind()) {
      case DATA -> metadata = config;
      case VIDEO -> video = config;
      case AUDIO -> audio = config;
    }
  }

  /** Forgets everything: a new publisher session starts with configurations of its own. */
  public void clear() {
    metadata = null;
    video = null;
    audio = null;
  }

  public boolean isEmpty() {
    return metadata == null && video == null && audio == null;
  }

  /** The body bytes of what is kept. No allocation: callers use it per packet. */
  public long bytes() {
    return sizeOf(metadata) + sizeOf(video) + sizeOf(audio);
  }

  /**
   * Adds what is kept to {@code out} in the order players expect it: metadata, then the video, then the
   * audio sequence header.
   */
  public void addTo(Collection<? super MediaPacket> out) {
    if (metadata != null) {
      out.add(metadata);
    }
    if (video != null) {
      out.add(video);
    }
    if (audio != null) {
      out.add(audio);
    }
  }

  private static long sizeOf(MediaPacket packet) {
    return packet == null ? 0 : packet.size();
  }
}
