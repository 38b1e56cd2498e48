package dev.streamedge.rtsp.server;

import java.util.List;
import java.util.Locale;

/**
 * Which announced track a publisher's SETUP names (RFC 2326 §C.1.1, §C.3): clients append the media's {@code
 * a=control} attribute to the ANNOUNCE's URI (ffmpeg {@code streamid=N}, GStreamer {@code stream=N}, others {@code
 * trackID=N}), or send the attribute itself when it is an absolute URI. The match ignores the scheme, host and
 * port (a client behind a proxy may name another) and the case of the attribute's name.
 */
final class TrackControls {

  private TrackControls() {
  }

  /** The index of the media {@code uri} names, or -1 when it names none (or several). */
  static int match(List<String> controls, String uri) {
    String path = path(uri);
    int found = -1;
    for (int i = 0; i < controls.size(); i++) {
      String control = controls.get(i);
      if (control.isEmpty() || control.equals("*")) {
        continue;
      }
      boolean absolute = control.regionMatches(true, 0, "rtsp://", 0, 7)
          || control.regionMatches(true, 0, "rtsps://", 0, 8);
      boolean named = absolute ? path.equals(path(control)) : path.endsWith("/" + lower(control));
      if (named) {
        if (found >= 0) {
          return -1;
        }
        found = i;
      }
    }
    return found;
  }

  /** The URI's path and query without a trailing '/', lower-cased: {@code /live/test/streamid=0}. */
  private static String path(String uri) {
    String rest = uri;
    int scheme = rest.indexOf("://");
    if (scheme >= 0) {
      int slash = rest.indexOf('/', scheme + 3);
      rest = slash < 0 ? "/" : rest.substring(slash);
    }
    while (rest.length() > 1 && rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    return lower(rest);
  }

  private static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}
