package dev.streamedge.rtsp;

import dev.streamedge.stream.StreamNames;
import java.util.Locale;

/**
 * The stream (and track) a request's URI names (RFC 2326 §3.2): {@code rtsp://host[:port]/app/name}, or
 * {@code rtsps://}, or a bare path {@code /app/name}; then optionally {@code /trackID=N}, the control
 * attribute of track N that the server's SDP gives and clients append to the Content-Base; then optionally
 * {@code ?query} for auth. Pure: no I/O.
 *
 * <p>ffmpeg and GStreamer build a track's URL by appending the control attribute to the Content-Base; with a
 * Content-Base that kept the DESCRIBE URI's query, they would send {@code /live/test?token=x/trackID=0}, so a
 * track step is taken from the end of the query as well as from before it.
 *
 * @param app the app, a valid {@link StreamNames} name
 * @param name the stream name in it, a valid {@link StreamNames} name
 * @param query the query without {@code ?}, raw, or "" when none
 * @param track the track N of {@code trackID=N}, 0 to 7, or -1 for the whole stream (the aggregate)
 */
public record RtspTarget(String app, String name, String query, int track) {

  private static final String TRACK = "trackid=";
  private static final int MAX_TRACK = 7;

  /**
   * Reads {@code uri}. {@code OPTIONS *} names no stream: the server answers it before asking this.
   *
   * @throws RtspFormatException with what is wrong: no app/name path, a name that is not a valid stream name
   *     (percent-encoding included: stream names need none), or a track step that is not {@code trackID=0} to
   *     {@code 7}
   */
  public static RtspTarget parse(String uri) throws RtspFormatException {
    if (uri == null || uri.isEmpty()) {
      throw new RtspFormatException("no URI");
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    String rest;
    if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
      String afterScheme = uri.substring(uri.indexOf("//") + 2);
      int pathStart = firstOf(afterScheme, '/', '?');
      if (pathStart < 0 || afterScheme.charAt(pathStart) != '/') {
        throw new RtspFormatException("URI " + RtspDecoder.quote(uri) + " has no path /app/name");
      }
      // The host (with a user:pass@ or a port) is the client's business: one server answers for all its names.
      rest = afterScheme.substring(pathStart);
    } else if (uri.startsWith("/")) {
      rest = uri;
    } else {
      throw new RtspFormatException("URI " + RtspDecoder.quote(uri) + " is neither rtsp:// nor a path");
    }
    int mark = rest.indexOf('?');
    String path = mark < 0 ? rest : rest.substring(0, mark);
    String query = mark < 0 ? "" : rest.substring(mark + 1);
    int track = -1;
    int slash = query.lastIndexOf('/');
    if (slash >= 0 && query.regionMatches(true, slash + 1, TRACK, 0, TRACK.length())) {
      track = track(query.substring(slash + 1));
      query = query.substring(0, slash);
    }
    String[] steps = path.substring(1).split("/", -1);
    int count = steps.length;
    // A trailing '/' is the Content-Base's (RFC 2326 §C.1.1), which a client may send PLAY to.
    if (count > 2 && steps[count - 1].isEmpty()) {
      count--;
    }
    if (count == 3) {
      if (track >= 0) {
        throw new RtspFormatException("URI " + RtspDecoder.quote(uri) + " names two tracks");
      }
      track = track(steps[2]);
    } else if (count != 2) {
      throw new RtspFormatException("URI " + RtspDecoder.quote(uri) + " is not /app/name[/trackID=N]");
    }
    for (int i = 0; i < 2; i++) {
      if (!StreamNames.valid(steps[i])) {
        throw new RtspFormatException("URI " + RtspDecoder.quote(uri) + " has " + RtspDecoder.quote(steps[i])
            + ", not an app/name of 1 to 128 of A-Z a-z 0-9 . _ ~ - (and not . or ..)");
      }
    }
    return new RtspTarget(steps[0], steps[1], query, track);
  }

  private static int track(String step) throws RtspFormatException {
    if (step.length() == TRACK.length() + 1 && step.regionMatches(true, 0, TRACK, 0, TRACK.length())) {
      int n = step.charAt(TRACK.length()) - '0';
      if (n >= 0 && n <= MAX_TRACK) {
        return n;
      }
    }
    throw new RtspFormatException("track step " + RtspDecoder.quote(step) + " is not trackID=0 to trackID="
        + MAX_TRACK);
  }

  private static int firstOf(String text, char a, char b) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == a || c == b) {
        return i;
      }
    }
    return -1;
  }
}
