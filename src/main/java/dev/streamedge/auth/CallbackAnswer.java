package dev.streamedge.auth;

import dev.streamedge.stream.StreamNames;

/**
 * What an auth callback came to.
 *
 * @param verdict allow (2xx), redirect (3xx with a {@code Location} of an RTMP URL, nginx-rtmp's
 *     on_play redirect), rename (3xx with a {@code Location} that is a stream name, nginx-rtmp's on_publish
 *     rename), deny (any other status) or down (no status: unreachable, too slow, overloaded)
 * @param detail the status, or why there was none
 * @param location the redirect's URL or the new name; empty for every other verdict
 */
record CallbackAnswer(Verdict verdict, String detail, String location) {

  enum Verdict { ALLOW, REDIRECT, RENAME, DENY, DOWN }

  static CallbackAnswer ofStatus(int status) {
    return ofResponse(status, null);
  }

  /**
   * A 3xx with a {@code Location} in one of the RTMP schemes is a redirect (nginx-rtmp pulls from it); one
   * whose {@code Location} is a stream name is a rename (nginx-rtmp publishes under that name); any other
   * 3xx refuses.
   */
  static CallbackAnswer ofResponse(int status, String location) {
    if (status >= 300 && status < 400 && location != null && location.matches("(?i)rtmp[est]{0,2}://\\S+")) {
      return new CallbackAnswer(Verdict.REDIRECT, "status " + status, location);
    }
    if (status >= 300 && status < 400 && location != null && StreamNames.valid(location)) {
      return new CallbackAnswer(Verdict.RENAME, "status " + status, location);
    }
    return new CallbackAnswer(status >= 200 && status < 300 ? Verdict.ALLOW : Verdict.DENY, "status " + status, "");
  }

  static CallbackAnswer down(String why) {
    return new CallbackAnswer(Verdict.DOWN, why, "");
  }
}
