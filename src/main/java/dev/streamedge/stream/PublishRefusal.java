package dev.streamedge.stream;

/**
 * Why the stream core refused a publish of a key that has a publisher. The client is answered
 * {@code NetStream.Publish.BadName} with {@link #describe}, the log line names {@link #reason}.
 */
public enum PublishRefusal {
  /** {@code stream.publish-policy} is {@code reject}. */
  REJECTED("already publishing", ""),
  /**
   * Under {@code takeover}: the publisher sent media within {@code stream.takeover-after}, and the new
   * one presented another credential, or none.
   */
  PUBLISHER_ACTIVE("takeover: the publisher is sending", ": its publisher is sending"),
  /** Under {@code takeover}: the key changed hands {@code stream.max-takeovers-per-minute} times within a minute. */
  TAKEOVER_LIMIT("takeover: too many in the last minute", ": it was taken over too often in the last minute"),
  /** The {@link PublishGate} refused: another node of the cluster publishes the key. */
  ELSEWHERE("already publishing", "");

  private final String reason;
  private final String detail;

  PublishRefusal(String reason, String detail) {
    this.reason = reason;
    this.detail = detail;
  }

  /** For the log line, {@code reason=...}. */
  public String reason() {
    return reason;
  }

  /** The description of the BadName status: what a publisher's client shows its user. */
  public String describe(StreamKey key) {
    return key + " is already being published" + detail + ".";
  }

  /** A takeover refused by the takeover policy's rules, not by the reject policy or the cluster. */
  public boolean isTakeover() {
    return this == PUBLISHER_ACTIVE || this == TAKEOVER_LIMIT;
  }
}
