package dev.streamedge.auth;

import dev.streamedge.rtmp.client.RtmpUrl;
import dev.streamedge.stream.StreamNames;

/**
 * What an auth callback came to.
 *
 * @param verdict allow (2xx), redirect (3xx with a {@code Location} of an RTMP URL: nginx-rtmp pulls a
 *     play from it and pushes a publish to it), rename (3xx with a {@code Location} that is a stream name:
 *     nginx-rtmp plays or publishes that stream), deny (any other status) or down (no status: unreachable,
 *     too slow, overloaded)
 * @param detail the status, or why there was none
 * @param location the redirect's URL or the new name; empty for every other verdict
 */
record CallbackAnswer(Verdict verdict, String detail, String location) {

  enum Verdict { ALLOW, REDIRECT, RENAME, DENY, DOWN }

  static CallbackAnswer ofStatus(int status) {
    return ofResponse(status, null);
  }

  /**
   * A 3xx with a {@code Location} in one of the RTMP schemes, with a host, an app and a name, is a redirect
   * (nginx-rtmp pulls or pushes there); one whose {@code Location} is a stream name is a rename (nginx-rtmp
   * plays or publishes that name); any other 3xx refuses.
   */
  static CallbackAnswer ofResponse(int status, String location) {
    if (status >= 300 && status < 400 && location != null && location.matches("(?i)rtmp[est]{0,2}://\\S+")
        && isRtmpUrl(location)) {
      return new CallbackAnswer(Verdict.REDIRECT, "status " + status, location);
    }
    if (status >= 300 && status < 400 && location != null && StreamNames.valid(location)) {
      return new CallbackAnswer(Verdict.RENAME, "status " + status, location);
    }
    return new CallbackAnswer(status >= 200 && status < 300 ? Verdict.ALLOW : Verdict.DENY, "status " + status, "");
  }

  /** Whether the RTMP client could connect to {@code url}: a host, an app and a stream name. */
  private static boolean isRtmpUrl(String url) {
    try {
      RtmpUrl.parse(url);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static CallbackAnswer down(String why) {
    return new CallbackAnswer(Verdict.DOWN, why, "");
  }
}
