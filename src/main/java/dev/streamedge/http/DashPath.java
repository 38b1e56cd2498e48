package dev.streamedge.http;

/**
 * What an MPEG-DASH URL under {@code /dash/} asks for (docs/playback.md#mpeg-dash):
 * <ul>
 *   <li>{@code /dash/<key>.mpd} and {@code /dash/<app>/<key>.mpd}: the MPD (nginx-rtmp's form, app
 *       {@code live}, and any app);
 *   <li>{@code [<app>/]<key>/<run>-init.m4v} (or {@code .m4a}): a track's init segment;
 *   <li>{@code [<app>/]<key>/<run>-<time>.m4v} (or {@code .m4a}): a track's media segment, by its start
 *       time ({@code $Time$}).
 * </ul>
 * Numbers are 1 to 18 ASCII digits. Anything else is {@code null}, a 404.
 *
 * @param run the run (init segment id) of a media file; -1 for the MPD
 * @param time a media segment's start time; -1 for the MPD and init segments
 * @param video whether a media file is of the video track ({@code .m4v}) rather than audio
 */
record DashPath(Kind kind, String app, String name, long run, long time, boolean video) {

  /** What a DASH URL names. */
  enum Kind { MANIFEST, INIT, MEDIA }

  private static final String PREFIX = "/dash/";
  private static final String DEFAULT_APP = "live";
  private static final String INIT = "-init";

  /** The DASH resource {@code path} names, or {@code null}. */
  static DashPath parse(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return null;
    }
    String[] segments = path.substring(PREFIX.length()).split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        return null;
      }
    }
    String last = segments[segments.length - 1];
    if (segments.length <= 2 && last.endsWith(".mpd") && last.length() > ".mpd".length()) {
      String name = last.substring(0, last.length() - ".mpd".length());
      return new DashPath(Kind.MANIFEST, segments.length == 1 ? DEFAULT_APP : segments[0], name, -1, -1, false);
    }
    if (segments.length < 2 || segments.length > 3) {
      return null;
    }
    String app = segments.length == 2 ? DEFAULT_APP : segments[0];
    String name = segments[segments.length - 2];
    boolean video = last.endsWith(".m4v");
    if (!video && !last.endsWith(".m4a")) {
      return null;
    }
    String stem = last.substring(0, last.length() - ".m4v".length());
    int dash = stem.indexOf('-');
    if (dash < 0 || !HlsPath.isNumber(stem.substring(0, dash), 18)) {
      return null;
    }
    long run = Long.parseLong(stem.substring(0, dash));
    String rest = stem.substring(dash);
    if (rest.equals(INIT)) {
      return new DashPath(Kind.INIT, app, name, run, -1, video);
    }
    String time = rest.substring(1);
    return HlsPath.isNumber(time, 18) ? new DashPath(Kind.MEDIA, app, name, run, Long.parseLong(time), video) : null;
  }
}
