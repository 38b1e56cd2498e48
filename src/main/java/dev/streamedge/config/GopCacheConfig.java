package dev.streamedge.config;

/**
 * The frames since the last keyframe, kept per stream so a new player starts with a picture at once.
 *
 * @param maxBytes bound on the cache's payload bytes; zero turns the cache off
 * @param maxFrames bound on the number of cached frames, whichever bound is reached first
 */
public record GopCacheConfig(ByteSize maxBytes, int maxFrames) {

  public boolean enabled() {
    return maxBytes.bytes() > 0;
  }
}
