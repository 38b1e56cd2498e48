package dev.streamedge.rtp.receive;

/**
 * One received track's RTP clock (RFC 3550 §5.1) put on the publisher's common timeline in milliseconds: its 32-bit
 * timestamps unwrapped into a count of ticks that keeps growing, and the instant its first packet stands for. That
 * instant comes from the track's sender report when one came before its first packet (the sender's wall clock,
 * shared by its tracks: they line up as the publisher meant), else from the packet's arrival (MediaMTX's way
 * without reports: the tracks line up within the network's jitter).
 */
final class TrackClock {

  private final int clockRate;
  private boolean started;
  /** The last timestamp seen, unwrapped. */
  private long last;
  private long first;
  /** The common timeline's milliseconds of {@link #first}. */
  private long firstMillis;
  private SenderReport report;

  TrackClock(int clockRate) {
    this.clockRate = clockRate;
  }

  int clockRate() {
    return clockRate;
  }

  /** Keeps the track's latest sender report, for a first packet yet to come. */
  void report(SenderReport report) {
    this.report = report;
  }

  /**
   * The ticks of an RTP timestamp, unwrapped against the last one (a step of less than 2^31 either way is taken
   * as the nearer one); the first timestamp starts the track at {@code firstMillis} of the common timeline.
   *
   * @param timeline where the track's first packet is placed, when this is the first
   */
  long unwrap(long rtpTimestamp, Timeline timeline, long arrivalMillis) {
    if (!started) {
      started = true;
      last = rtpTimestamp;
      first = rtpTimestamp;
      firstMillis = report == null ? timeline.arrival(arrivalMillis)
          : timeline.wallClock(report.ntpMillis() + Math.floorDiv((int) (rtpTimestamp - report.rtpTimestamp())
              * 1000L, clockRate));
      return last;
    }
    last += (int) (rtpTimestamp - last);
    return last;
  }

  /** Milliseconds on the common timeline of {@code ticks} (unwrapped). */
  long millis(long ticks) {
    return firstMillis + Math.floorDiv((ticks - first) * 1000, clockRate);
  }

  /**
   * The common timeline of one publisher's tracks, in milliseconds from the first packet of any of them. Wall-clock
   * times (NTP) are put on it by the offset between the first report's NTP time and its arrival, so that a track
   * placed by its report and one placed by its arrival still share it.
   */
  static final class Timeline {
    private boolean started;
    private long zero;
    private boolean offsetKnown;
    private long ntpToArrival;

    /** Notes a sender report's arrival: the first one ties the sender's wall clock to the arrivals. */
    void reportArrived(SenderReport report, long arrivalMillis) {
      if (!offsetKnown) {
        offsetKnown = true;
        ntpToArrival = arrivalMillis - report.ntpMillis();
      }
    }

    long arrival(long arrivalMillis) {
      if (!started) {
        started = true;
        zero = arrivalMillis;
      }
      return arrivalMillis - zero;
    }

    long wallClock(long ntpMillis) {
      return arrival(ntpMillis + ntpToArrival);
    }
  }
}
