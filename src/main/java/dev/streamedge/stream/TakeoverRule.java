package dev.streamedge.stream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Whether a new publisher may take a live key over under the {@code takeover} policy. Takeover is for an
 * encoder whose old session went quiet (an OBS that lost its network reconnects while its stale
 * connection still looks alive): a publisher that is sending keeps its key against strangers, so that
 * racing publishers cannot make the key change hands many times a second. A newcomer presenting the
 * same credential as the publisher (its stream key or signature) is the same encoder and may take over
 * at once. Either way the key changes hands at most {@code maxTakeoversPerMinute} times a minute. One
 * per stream, used on its home context.
 */
final class TakeoverRule {

  private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final long quietNanos;
  /** When the last takeovers happened, as a ring: {@code recent[next]} is the oldest of them. */
  private final long[] recent;
  private int next;

  TakeoverRule(PublishRules rules) {
    this.quietNanos = rules.takeoverAfter().toNanos();
    this.recent = new long[rules.maxTakeoversPerMinute()];
    Arrays.fill(recent, Long.MIN_VALUE);
  }

  /**
   * Why the newcomer may not take over at {@code now}, or null when it may.
   *
   * @param lastPacketNanos when the publisher's last packet arrived, or when it started
   */
  PublishRefusal check(long now, long lastPacketNanos, String publisherCredential, String newcomerCredential) {
    if (recent[next] != Long.MIN_VALUE && now - recent[next] < MINUTE_NANOS) {
      return PublishRefusal.TAKEOVER_LIMIT;
    }
    if (now - lastPacketNanos < quietNanos && !sameCredential(publisherCredential, newcomerCredential)) {
      return PublishRefusal.PUBLISHER_ACTIVE;
    }
    return null;
  }

  /** Records a takeover at {@code now}. */
  void tookOver(long now) {
    recent[next] = now;
    next = (next + 1) % recent.length;
  }

  /** No credential (auth off) is nobody's: it never matches. Compared in constant time. */
  private static boolean sameCredential(String a, String b) {
    return !a.isEmpty()
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
