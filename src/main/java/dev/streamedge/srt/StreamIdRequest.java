package dev.streamedge.srt;

import dev.streamedge.stream.StreamNames;
import java.util.Locale;

/**
 * What a caller asks for in its handshake's Stream ID (SRT draft §3.2.1.3, the SID extension): publish or
 * play a stream, with a query for auth. The forms other servers' guides teach all work, so that an OBS or
 * ffmpeg set up for one of them needs only the host changed:
 * <ul>
 *   <li>MediaMTX's {@code publish:live/test}, {@code read:live/test} (also {@code play:});</li>
 *   <li>the access-control syntax of the SRT project, which SRS uses: {@code #!::r=live/test,m=publish}
 *       ({@code m=request} plays, the default);</li>
 *   <li>a bare path {@code live/test} or {@code /live/test} (publish);</li>
 *   <li>a URL, as OvenMediaEngine's guides give it: {@code srt://host:port/live/test}.</li>
 * </ul>
 * A query after {@code ?} (e.g. {@code ?key=...}) goes to auth as an RTMP stream name's does. A path of one
 * name is a stream of {@code defaultApp}. Pure: no I/O.
 *
 * @param play whether the caller wants to play (receive) rather than publish
 * @param app the app
 * @param name the stream name in it
 * @param query the query without {@code ?}, or ""
 */
public record StreamIdRequest(boolean play, String app, String name, String query) {

  /** The access-control syntax's marker (SRT's "AccessControl.md": {@code #!::} then comma-separated keys). */
  private static final String ACCESS_CONTROL = "#!::";

  /**
   * Reads {@code streamId}.
   *
   * @throws IllegalArgumentException with what is wrong, for the log line of the refusal
   */
  public static StreamIdRequest parse(String streamId, String defaultApp) {
    if (streamId == null || streamId.isEmpty()) {
      throw new IllegalArgumentException("no stream id: the caller must set one, e.g. streamid=publish:live/test");
    }
    if (streamId.startsWith(ACCESS_CONTROL)) {
      return accessControl(streamId.substring(ACCESS_CONTROL.length()), defaultApp);
    }
    String lower = streamId.toLowerCase(Locale.ROOT);
    if (lower.startsWith("srt://")) {
      int slash = streamId.indexOf('/', "srt://".length());
      if (slash < 0) {
        throw new IllegalArgumentException("the stream id URL has no path");
      }
      return path(false, streamId.substring(slash + 1), defaultApp);
    }
    if (lower.startsWith("publish:")) {
      return path(false, streamId.substring("publish:".length()), defaultApp);
    }
    if (lower.startsWith("read:")) {
      return path(true, streamId.substring("read:".length()), defaultApp);
    }
    if (lower.startsWith("play:")) {
      return path(true, streamId.substring("play:".length()), defaultApp);
    }
    return path(false, streamId, defaultApp);
  }

  /** {@code key=value} items separated by commas; r is the resource, m the mode. */
  private static StreamIdRequest accessControl(String items, String defaultApp) {
    String resource = null;
    boolean play = true;
    for (String item : items.split(",")) {
      int equals = item.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException("an access-control item is not key=value");
      }
      String key = item.substring(0, equals).trim();
      String value = item.substring(equals + 1).trim();
      if (key.equals("r")) {
        resource = value;
      } else if (key.equals("m")) {
        play = switch (value) {
          case "publish" -> false;
          case "request" -> true;
          default -> throw new IllegalArgumentException("mode m=" + value + " is neither publish nor request");
        };
      }
    }
    if (resource == null) {
      throw new IllegalArgumentException("the access-control stream id has no resource (r=app/name)");
    }
    return path(play, resource, defaultApp);
  }

  private static StreamIdRequest path(boolean play, String path, String defaultApp) {
    String query = "";
    int mark = path.indexOf('?');
    if (mark >= 0) {
      query = path.substring(mark + 1);
      path = path.substring(0, mark);
    }
    if (path.startsWith("/")) {
      path = path.substring(1);
    }
    int slash = path.indexOf('/');
    String app = slash < 0 ? defaultApp : path.substring(0, slash);
    String name = slash < 0 ? path : path.substring(slash + 1);
    if (!StreamNames.valid(app) || !StreamNames.valid(name)) {
      throw new IllegalArgumentException("the stream id's path is not app/name of A-Z a-z 0-9 . _ ~ -");
    }
    return new StreamIdRequest(play, app, name, query);
  }
}
