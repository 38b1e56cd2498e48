package dev.streamedge.hls;

/**
 * Gives each segment its EXT-X-PROGRAM-DATE-TIME (RFC 8216 §4.3.2.6) from the media timestamp of its first
 * frame and the time that frame reached the packager.
 */
@FunctionalInterface
public interface ProgramDateClock {

  /** The date is when the segment's first frame arrived: fine for a stream that has no siblings. */
  ProgramDateClock ARRIVAL = (timestampMillis, arrivedMillis) -> arrivedMillis;

  /**
   * @param timestampMillis when the segment's first frame is presented, in the publisher's timestamps (before
   *     any run offset)
   * @param arrivedMillis when it reached the packager, in epoch milliseconds
   * @return the date of the segment that starts with it, in epoch milliseconds
   */
  long dateOf(long timestampMillis, long arrivedMillis);
}
