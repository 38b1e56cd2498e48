package dev.streamedge.cluster.link;

import dev.streamedge.media.MediaPacket.Role;

/**
 * The edge's side of the media link: frames come numbered, and event-bus delivery is at most once, so
 * a frame missing from the sequence (a dropped connection loses queued messages with no signal) means
 * the frames after it cannot be decoded until the next sync point. The sequencer passes frames in
 * order, drops old or duplicated ones, and after a gap passes only configuration until a sync point.
 * It also counts the bytes received, which the edge acknowledges to the origin's {@link CreditWindow}.
 */
public final class FrameSequencer {

  private long expected = -1;
  private boolean resyncing;
  private long gaps;
  private long receivedBytes;

  /** Whether {@code frame} is to be used, in the order frames are accepted. */
  public boolean accept(MediaFrame frame) {
    receivedBytes += frame.size();
    if (expected >= 0 && frame.sequence() < expected) {
      return false;
    }
    if (expected >= 0 && frame.sequence() > expected) {
      gaps++;
      resyncing = true;
    }
    expected = frame.sequence() + 1;
    if (!resyncing) {
      return true;
    }
    if (frame.role() == Role.SYNC) {
      resyncing = false;
      return true;
    }
    return frame.role() == Role.CONFIG;
  }

  /**
   * Whether every frame numbered below {@code frames} has come (used, or given up on after a gap): an
   * event that followed them at the origin may overtake them here, and waits until this holds.
   */
  public boolean hasAllBefore(long frames) {
    return frames <= 0 || expected >= frames;
  }

  /** Body bytes of every frame received, used or not: what the origin may count as delivered. */
  public long receivedBytes() {
    return receivedBytes;
  }

  /** Gaps seen in the sequence: lost messages. */
  public long gaps() {
    return gaps;
  }
}
