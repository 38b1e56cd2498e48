package dev.streamedge.stream;

import java.util.regex.Pattern;

/**
 * What an app or stream name may be: characters safe in file names and URLs, since HLS and FLV URLs
 * are built from them, and never a path step such as "..".
 */
public final class StreamNames {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._~-]{1,128}");

  private StreamNames() {
  }

  public static boolean valid(String name) {
    return name != null && SAFE.matcher(name).matches() && !name.equals(".") && !name.equals("..");
  }
}
