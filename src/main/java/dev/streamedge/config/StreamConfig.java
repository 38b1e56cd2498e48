package dev.streamedge.config;

import dev.streamedge.stream.PublishPolicy;

/** What happens to a stream as a whole, independent of its publisher's or players' connections. */
public record StreamConfig(PublishPolicy publishPolicy, GopCache gopCache) {

  /**
   * The frames since the last keyframe, kept per stream so a new player starts with a picture at once.
   *
   * @param maxBytes bound on the cache's payload bytes; zero turns the cache off
   * @param maxFrames bound on the number of cached frames, whichever bound is reached first
   */
  public record GopCache(ByteSize maxBytes, int maxFrames) {

    public boolean enabled() {
      return maxBytes.bytes() > 0;
    }
  }
}
