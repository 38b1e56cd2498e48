package dev.streamedge.rtsp;

/**
 * The URIs a pulling client sends its requests to after DESCRIBE (RFC 2326 §C.1.1): the base that the
 * description's relative URLs are resolved against, and each track's URI from its {@code a=control} attribute.
 * Pure: no I/O.
 *
 * <p>A relative control is appended to the base with a '/' between them, as ffmpeg and live555 do, not resolved
 * as RFC 3986 §5.2 would (which drops the base's last segment when it does not end in '/'): a server that sends
 * no Content-Base, described {@code rtsp://cam/live} and names a track {@code trackID=1} means {@code
 * rtsp://cam/live/trackID=1}, which strict resolution would turn into {@code rtsp://cam/trackID=1}. A control
 * that is an absolute path ({@code /live/1}) is appended all the same.
 */
public final class RtspUris {

  private RtspUris() {
  }

  /**
   * The URI of a track, or of the whole presentation for the session-level control.
   *
   * @param base the base, from {@link #base}
   * @param control the {@code a=control} attribute's value, or null when there is none
   * @return {@code base} when the control is absent, empty or {@code *} (the presentation itself); the control
   *     when it is an absolute {@code rtsp://} or {@code rtsps://} URL (any case); else the base, a '/' unless
   *     the base ends in one, and the control
   */
  public static String trackUri(String base, String control) {
    if (base == null) {
      throw new IllegalArgumentException("no base URI");
    }
    String c = control == null ? "" : control.strip();
    if (c.isEmpty() || c.equals("*")) {
      return base;
    }
    if (c.regionMatches(true, 0, "rtsp://", 0, 7) || c.regionMatches(true, 0, "rtsps://", 0, 8)) {
      return c;
    }
    return base.endsWith("/") ? base + c : base + "/" + c;
  }

  /**
   * The base URI of a DESCRIBE reply's description (§C.1.1): its Content-Base (§12.11), else its
   * Content-Location (§12.16), else the URI the DESCRIBE was sent to.
   *
   * @param requestUri the DESCRIBE's Request-URI
   * @param contentBase the reply's Content-Base header, or null
   * @param contentLocation the reply's Content-Location header, or null
   */
  public static String base(String requestUri, String contentBase, String contentLocation) {
    if (contentBase != null && !contentBase.isBlank()) {
      return contentBase.strip();
    }
    if (contentLocation != null && !contentLocation.isBlank()) {
      return contentLocation.strip();
    }
    return requestUri;
  }
}
