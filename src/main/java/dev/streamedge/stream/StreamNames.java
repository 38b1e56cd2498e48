package dev.streamedge.stream;

/**
 * What an app or stream name may be: characters safe in file names and URLs, since HLS and FLV URLs
 * are built from them, and never a path step such as "..".
 */
public final class StreamNames {

  private static final int MAX_LENGTH = 128;

  private StreamNames() {
  }

  /**
   * Whether {@code name} is 1 to 128 of {@code A-Z a-z 0-9 . _ ~ -} (RFC 3986's unreserved characters)
   * and not "." or "..". Checked by hand, not by a regular expression: HLS asks it twice a request.
   */
  public static boolean valid(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_LENGTH || name.equals(".") || name.equals("..")) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '.' || c == '_' || c == '~' || c == '-';
      if (!safe) {
        return false;
      }
    }
    return true;
  }
}
