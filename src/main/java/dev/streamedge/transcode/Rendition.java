package dev.streamedge.transcode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rung of a ladder, as {@code transcode.ladder} writes it: {@code 480p=854x480@1200k}, optionally
 * with its own encoder, {@code 480p=854x480@1200k/h264_nvenc}.
 *
 * @param name the suffix of the rendition's stream, {@code <key>_<name>}
 * @param width picture width in pixels, even (4:2:0 chroma)
 * @param height picture height in pixels, even
 * @param kbps the video bitrate, kbit/s
 * @param encoder the ffmpeg video encoder; "" for {@code transcode.encoder}
 */
public record Rendition(String name, int width, int height, int kbps, String encoder) {

  /** Ladders longer than this are a typo, and more processes' worth of CPU than a node has. */
  static final int MAX_RENDITIONS = 8;
  private static final Pattern ITEM =
      Pattern.compile("([A-Za-z0-9.~-]{1,32})=(\\d{2,5})x(\\d{2,5})@(\\d{2,6})k(?:/([A-Za-z0-9_]{1,64}))?");
  private static final int MIN_SIDE = 16;
  private static final int MAX_SIDE = 7680;
  private static final int MIN_KBPS = 16;
  private static final int MAX_KBPS = 100_000;

  /** The ladder in {@code text}, in its order; empty for ""; null when any item is not allowed. */
  public static List<Rendition> parseAll(String text) {
    List<Rendition> ladder = new ArrayList<>();
    if (text.isEmpty()) {
      return ladder;
    }
    Set<String> names = new HashSet<>();
    for (String item : text.split(",", -1)) {
      Matcher m = ITEM.matcher(item.trim());
      if (!m.matches() || !names.add(m.group(1))) {
        return null;
      }
      int width = Integer.parseInt(m.group(2));
      int height = Integer.parseInt(m.group(3));
      int kbps = Integer.parseInt(m.group(4));
      if (!side(width) || !side(height) || kbps < MIN_KBPS || kbps > MAX_KBPS) {
        return null;
      }
      ladder.add(new Rendition(m.group(1), width, height, kbps, m.group(5) == null ? "" : m.group(5)));
    }
    return ladder.size() > MAX_RENDITIONS ? null : ladder;
  }

  private static boolean side(int pixels) {
    return pixels >= MIN_SIDE && pixels <= MAX_SIDE && pixels % 2 == 0;
  }

  /** The rendition's stream name for source {@code key}. */
  public String streamName(String key) {
    return key + "_" + name;
  }
}
