package dev.streamedge.http;

import dev.streamedge.hls.HlsVariant;

/**
 * What an HLS URL under {@code /hls/} asks for, read from the path without a regular expression: an HLS
 * player makes up to ten requests a second (LL-HLS), and matching each against a list of patterns was
 * a measured share of the server's CPU (bench/RESULTS.md). The forms are those of docs/playback.md:
 * <ul>
 *   <li>{@code /hls/<key>.m3u8} and {@code /hls/<app>/<key>.m3u8}: the seed URLs (nginx-rtmp's form,
 *       app {@code live}, and any app);
 *   <li>{@code /hls/<app>/<key>/ts.m3u8}, {@code fmp4.m3u8}, {@code ll.m3u8}: a variant by name;
 *   <li>{@code [<app>/]<key>/<sequence>.ts}, {@code <sequence>.m4s}, {@code p<part>.m4s} and
 *       {@code init-<id>.mp4} under {@code /hls/}: media, app {@code live} when the app is left out.
 * </ul>
 * Numbers are 1 to 18 ASCII digits; app and key are any non-empty segment (the handlers check the
 * names). Anything else is {@code null}, for the routes after this one.
 *
 * @param kind what is asked for
 * @param app the application, {@code live} for the short forms
 * @param name the stream key
 * @param number the sequence, part or init id as written; {@code null} for playlists
 * @param variant the variant a variant playlist or a media file belongs to; {@code null} for seed URLs
 *     and MPEG-TS segments
 * @param shortForm whether the app was left out of the URL (nginx-rtmp's form)
 */
record HlsPath(Kind kind, String app, String name, String number, HlsVariant variant, boolean shortForm) {

  /** What an HLS URL names. */
  enum Kind { SEED_PLAYLIST, VARIANT_PLAYLIST, SEGMENT, PART, INIT }

  private static final String PREFIX = "/hls/";
  private static final String DEFAULT_APP = "live";
  private static final int MAX_DIGITS = 18;

  /** The HLS resource {@code path} names, or {@code null}. */
  static HlsPath parse(String path) {
    if (path == null || !path.startsWith(PREFIX)) {
      return null;
    }
    int first = path.indexOf('/', PREFIX.length());
    if (first < 0) {
      String key = stem(path.substring(PREFIX.length()), ".m3u8");
      return key == null ? null : new HlsPath(Kind.SEED_PLAYLIST, DEFAULT_APP, key, null, null, true);
    }
    String one = path.substring(PREFIX.length(), first);
    int second = path.indexOf('/', first + 1);
    if (one.isEmpty()) {
      return null;
    }
    if (second < 0) {
      String file = path.substring(first + 1);
      String key = stem(file, ".m3u8");
      if (key != null) {
        return new HlsPath(Kind.SEED_PLAYLIST, one, key, null, null, false);
      }
      return media(DEFAULT_APP, one, file, true);
    }
    String two = path.substring(first + 1, second);
    String file = path.substring(second + 1);
    if (two.isEmpty() || file.indexOf('/') >= 0) {
      return null;
    }
    HlsVariant variant = switch (file) {
      case "ts.m3u8" -> HlsVariant.MPEGTS;
      case "fmp4.m3u8" -> HlsVariant.FMP4;
      case "ll.m3u8" -> HlsVariant.LOW_LATENCY;
      default -> null;
    };
    if (variant != null) {
      return new HlsPath(Kind.VARIANT_PLAYLIST, one, two, null, variant, false);
    }
    return media(one, two, file, false);
  }

  private static HlsPath media(String app, String name, String file, boolean shortForm) {
    String number = digits(stem(file, ".ts"));
    if (number != null) {
      return new HlsPath(Kind.SEGMENT, app, name, number, HlsVariant.MPEGTS, shortForm);
    }
    String m4s = stem(file, ".m4s");
    if (m4s != null && m4s.startsWith("p") && digits(m4s.substring(1)) != null) {
      return new HlsPath(Kind.PART, app, name, m4s.substring(1), HlsVariant.LOW_LATENCY, shortForm);
    }
    if (digits(m4s) != null) {
      return new HlsPath(Kind.SEGMENT, app, name, m4s, HlsVariant.FMP4, shortForm);
    }
    String init = stem(file, ".mp4");
    if (init != null && init.startsWith("init-") && digits(init.substring("init-".length())) != null) {
      return new HlsPath(Kind.INIT, app, name, init.substring("init-".length()), HlsVariant.FMP4, shortForm);
    }
    return null;
  }

  /** {@code file} without {@code suffix}, if it ends with it and something comes before; else null. */
  private static String stem(String file, String suffix) {
    return file.length() > suffix.length() && file.endsWith(suffix)
        ? file.substring(0, file.length() - suffix.length()) : null;
  }

  /** {@code text} if it is 1 to 18 ASCII digits, else null. */
  private static String digits(String text) {
    return text != null && isNumber(text, MAX_DIGITS) ? text : null;
  }

  /**
   * Whether {@code text} is 1 to {@code maxDigits} ASCII digits: what {@code \d{1,maxDigits}} matches,
   * without a matcher per request (LL-HLS's {@code _HLS_msn} and {@code _HLS_part} come ten times a second).
   */
  static boolean isNumber(String text, int maxDigits) {
    if (text.isEmpty() || text.length() > maxDigits) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
