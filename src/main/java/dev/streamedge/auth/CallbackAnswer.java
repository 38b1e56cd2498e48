package dev.streamedge.auth;

/**
 * What an auth callback came to.
 *
 * @param verdict allow (2xx), deny (any other status) or down (no status: unreachable, too slow,
 *     overloaded)
 * @param detail the status, or why there was none
 */
record CallbackAnswer(Verdict verdict, String detail) {

  enum Verdict { ALLOW, DENY, DOWN }

  static CallbackAnswer ofStatus(int status) {
    return new CallbackAnswer(status >= 200 && status < 300 ? Verdict.ALLOW : Verdict.DENY, "status " + status);
  }

  static CallbackAnswer down(String why) {
    return new CallbackAnswer(Verdict.DOWN, why);
  }
}
