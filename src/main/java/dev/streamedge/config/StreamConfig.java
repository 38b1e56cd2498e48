package dev.streamedge.config;

import dev.streamedge.stream.PublishPolicy;
import dev.streamedge.stream.PublishRules;
import java.time.Duration;

/**
 * What happens to a stream as a whole, independent of its publisher's or players' connections.
 *
 * @param takeoverAfter under takeover, how long a publisher must have sent nothing before a publisher
 *     presenting another credential, or none, may take its key
 * @param maxTakeoversPerMinute under takeover, the most times one key may change hands within a minute
 */
public record StreamConfig(PublishPolicy publishPolicy, Duration takeoverAfter, int maxTakeoversPerMinute,
    GopCache gopCache) {

  /** What a publish of a key that already has a publisher gets. */
  public PublishRules publishRules() {
    return new PublishRules(publishPolicy, takeoverAfter, maxTakeoversPerMinute);
  }

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
