package dev.streamedge.stream;

/**
 * A stream's output timeline, continuous across publisher sessions, so that players that stay
 * connected never see timestamps go back: each session's timestamps are shifted to start just after
 * the newest timestamp of the sessions before. Timestamps are unsigned 32-bit and wrap. Used on the
 * stream's home context only.
 */
final class Timeline {

  private static final long TIMESTAMP_MASK = 0xFFFFFFFFL;

  private boolean started;
  private boolean sessionStarted;
  private long offset;
  // The newest output timestamp so far (in 32-bit serial order), not merely the last one: audio and
  // video may be interleaved slightly out of order, and a new session must start after both.
  private long newest;

  /** A publisher session's {@code timestamp} on the output timeline. */
  long rebase(long timestamp) {
    if (!sessionStarted) {
      sessionStarted = true;
      offset = started ? newest + 1 - timestamp : 0;
      if (!started) {
        started = true;
        newest = timestamp & TIMESTAMP_MASK;
      }
    }
    long out = (timestamp + offset) & TIMESTAMP_MASK;
    if (((out - newest) & TIMESTAMP_MASK) < 0x8000_0000L) {
      newest = out;
    }
    return out;
  }

  /** The next timestamp starts a new session. */
  void newSession() {
    sessionStarted = false;
  }
}
