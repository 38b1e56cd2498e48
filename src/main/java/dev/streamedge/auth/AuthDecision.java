package dev.streamedge.auth;

import dev.streamedge.stream.StreamKey;

/**
 * The answer to an {@link AuthRequest}.
 *
 * @param allowed whether the client may go on
 * @param reason why it was refused, for the log and the client; empty when allowed
 * @param redirect the RTMP URL the callback redirected an allowed play or publish to (nginx-rtmp's 3xx
 *     with an RTMP {@code Location}): the node pulls a play's stream from there, and pushes a publish's
 *     stream there while it is published; empty when none
 * @param rename the stream name the callback gave an allowed play or publish instead of the one asked for
 *     (nginx-rtmp's 3xx with a name): the client plays or publishes that stream of its app; empty when none
 */
public record AuthDecision(boolean allowed, String reason, String redirect, String rename) {

  /**
   * The stream an allowed play or publish of {@code asked} goes on with: the one this decision renamed it
   * to, else {@code asked}. Its callback events (update, done) still name {@code asked}, as nginx-rtmp's do.
   */
  public StreamKey streamFor(StreamKey asked) {
    return rename.isEmpty() ? asked : new StreamKey(asked.app(), rename);
  }

  public static final AuthDecision ALLOW = new AuthDecision(true, "", "", "");

  public static AuthDecision refuse(String reason) {
    return new AuthDecision(false, reason, "", "");
  }

  public static AuthDecision redirect(String url) {
    return new AuthDecision(true, "", url, "");
  }

  public static AuthDecision rename(String name) {
    return new AuthDecision(true, "", "", name);
  }
}
