package dev.streamedge.stream;

import java.time.Duration;

/**
 * What a publish of a key that already has a publisher on this node gets.
 *
 * @param policy takeover or reject
 * @param takeoverAfter under takeover, how long the publisher must have sent nothing before a publisher
 *     presenting another credential (or none, as with auth off) may take its place; zero for at once
 * @param maxTakeoversPerMinute under takeover, the most takeovers of one key within any minute, whoever
 *     asks: a leaked credential cannot make a key change hands without end
 */
public record PublishRules(PublishPolicy policy, Duration takeoverAfter, int maxTakeoversPerMinute) {

  public PublishRules {
    if (maxTakeoversPerMinute < 1) {
      throw new IllegalArgumentException("maxTakeoversPerMinute must be at least 1: " + maxTakeoversPerMinute);
    }
  }
}
