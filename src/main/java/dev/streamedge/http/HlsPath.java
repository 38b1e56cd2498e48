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
 *       {@code init-<id>.mp4} under {@code /hls/}: media, app {@code live} when the app is left out;
 *   <li>{@code [<app>/]<key>/key-<id>.key}: the AES-128 key of encrypted MPEG-TS segments ({@code hls.keys}).
 * </ul>
 * Numbers are 1 to 18 ASCII digits; app and key are any non-empty segment (the handlers check the
 * names). Anything else is {@code null}, for the routes after this one.
 *
 * @param kind what is asked for
 * @param app the application, {@code live} for the short forms
 * @param name the stream key
 * @param number the sequence, part, init or key id as written; {@code null} for playlists
 * @param variant the variant a variant playlist or a media file belongs to; {@code null} for seed URLs
 *     and MPEG-TS segments
 * @param shortForm whether the app was left out of the URL (nginx-rtmp's form)
 */
record HlsPath(Kind kind, String app, String name, String number, HlsVariant variant, boolean shortForm) {

  /** What an HLS URL names. */
  enum Kind { SEED_PLAYLIST, VARIANT_PLAYLIST, SEGMENT, PART, INIT, KEY }

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
      return endsAfter(path, PREFIX.length(), ".m3u8") ? new HlsPath(Kind.SEED_PLAYLIST, DEFAULT_APP,
          path.substring(PREFIX.length(), path.length() - ".m3u8".length()), null, null, true) : null;
    }
    String one = path.substring(PREFIX.length(), first);
    int second = path.indexOf('/', first + 1);
    if (one.isEmpty()) {
      return null;
    }
    if (second < 0) {
      if (endsAfter(path, first + 1, ".m3u8")) {
        return new HlsPath(Kind.SEED_PLAYLIST, one, path.substring(first + 1, path.length() - ".m3u8".length()),
            null, null, false);
      }
      return media(DEFAULT_APP, one, path, first + 1, true);
    }
    if (second == first + 1 || path.indexOf('/', second + 1) >= 0) {
      return null;
    }
    String two = path.substring(first + 1, second);
    HlsVariant variant = isFile(path, second + 1, "ts.m3u8") ? HlsVariant.MPEGTS
        : isFile(path, second + 1, "fmp4.m3u8") ? HlsVariant.FMP4
        : isFile(path, second + 1, "ll.m3u8") ? HlsVariant.LOW_LATENCY
        : null;
    if (variant != null) {
      return new HlsPath(Kind.VARIANT_PLAYLIST, one, two, null, variant, false);
    }
    return media(one, two, path, second + 1, false);
  }

  /**
   * The media file that {@code path} names from {@code from} on. Read in place: only the number is cut out
   * of the path (a part request, ten a second per LL-HLS player, made six strings before).
   */
  private static HlsPath media(String app, String name, String path, int from, boolean shortForm) {
    int end = path.length();
    if (path.endsWith(".ts") && numberBetween(path, from, end - ".ts".length())) {
      return new HlsPath(Kind.SEGMENT, app, name, path.substring(from, end - ".ts".length()), HlsVariant.MPEGTS,
          shortForm);
    }
    if (path.endsWith(".m4s")) {
      int stemEnd = end - ".m4s".length();
      if (stemEnd > from && path.charAt(from) == 'p' && numberBetween(path, from + 1, stemEnd)) {
        return new HlsPath(Kind.PART, app, name, path.substring(from + 1, stemEnd), HlsVariant.LOW_LATENCY,
            shortForm);
      }
      if (numberBetween(path, from, stemEnd)) {
        return new HlsPath(Kind.SEGMENT, app, name, path.substring(from, stemEnd), HlsVariant.FMP4, shortForm);
      }
      return null;
    }
    int keyDigits = from + "key-".length();
    if (path.endsWith(".key") && path.startsWith("key-", from) && numberBetween(path, keyDigits, end - ".key".length())) {
      return new HlsPath(Kind.KEY, app, name, path.substring(keyDigits, end - ".key".length()), HlsVariant.MPEGTS,
          shortForm);
    }
    int digitsFrom = from + "init-".length();
    if (path.endsWith(".mp4") && path.startsWith("init-", from) && numberBetween(path, digitsFrom, end - ".mp4".length())) {
      return new HlsPath(Kind.INIT, app, name, path.substring(digitsFrom, end - ".mp4".length()), HlsVariant.FMP4,
          shortForm);
    }
    return null;
  }

  /** Whether {@code path} from {@code from} on is exactly {@code file}. */
  private static boolean isFile(String path, int from, String file) {
    return path.length() - from == file.length() && path.startsWith(file, from);
  }

  /** Whether {@code path} ends with {@code suffix} with something before it from {@code from} on. */
  private static boolean endsAfter(String path, int from, String suffix) {
    return path.length() - from > suffix.length() && path.endsWith(suffix);
  }

  /** Whether {@code path}'s characters from {@code from} to {@code end} (exclusive) are 1 to 18 ASCII digits. */
  private static boolean numberBetween(String path, int from, int end) {
    return digits(path, from, end, MAX_DIGITS);
  }

  /**
   * Whether {@code text} is 1 to {@code maxDigits} ASCII digits: what {@code \d{1,maxDigits}} matches,
   * without a matcher per request (LL-HLS's {@code _HLS_msn} and {@code _HLS_part} come ten times a second).
   */
  static boolean isNumber(String text, int maxDigits) {
    return digits(text, 0, text.length(), maxDigits);
  }

  /** Whether {@code text}'s characters from {@code from} to {@code end} (exclusive) are 1 to {@code max} ASCII digits. */
  private static boolean digits(String text, int from, int end, int max) {
    if (end <= from || end - from > max) {
      return false;
    }
    for (int i = from; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
