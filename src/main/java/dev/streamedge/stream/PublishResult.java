package dev.streamedge.stream;

/**
 * The answer to a publish: the session, or why there is none.
 *
 * @param session the new publish session; null when refused
 * @param refusal why it was refused; null when {@code session} is set
 */
public record PublishResult(PublishSession session, PublishRefusal refusal) {

  static PublishResult started(PublishSession session) {
    return new PublishResult(session, null);
  }

  static PublishResult refused(PublishRefusal refusal) {
    return new PublishResult(null, refusal);
  }
}
