package dev.streamedge.auth;

/**
 * The answer to an {@link AuthRequest}.
 *
 * @param allowed whether the client may go on
 * @param reason why it was refused, for the log and the client; empty when allowed
 * @param redirect for an allowed play, the RTMP URL the play callback redirected it to (nginx-rtmp's
 *     on_play 3xx): the node pulls the stream from there; empty when none
 * @param rename for an allowed publish, the stream name the publish callback gave it instead of the one
 *     asked for (nginx-rtmp's on_publish 3xx with a name): the publisher publishes that stream of its app;
 *     empty when none
 */
public record AuthDecision(boolean allowed, String reason, String redirect, String rename) {

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
