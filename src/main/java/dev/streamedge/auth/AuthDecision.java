package dev.streamedge.auth;

/**
 * The answer to an {@link AuthRequest}.
 *
 * @param allowed whether the client may go on
 * @param reason why it was refused, for the log and the client; empty when allowed
 */
public record AuthDecision(boolean allowed, String reason) {

  public static final AuthDecision ALLOW = new AuthDecision(true, "");

  public static AuthDecision refuse(String reason) {
    return new AuthDecision(false, reason);
  }
}
