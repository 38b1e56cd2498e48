package dev.streamedge.relay;

import dev.streamedge.stream.StreamKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One item of {@code relay.pull}: stream {@code key} of this node is played from {@code url}, from the
 * start, e.g. {@code live/cam1=rtmp://camera.local/live/cam1}. Any scheme the RTMP client speaks, or an HTTP-FLV
 * URL ({@code http[s]://origin/live/cam1.flv}).
 *
 * @param key the stream it becomes here
 * @param url where it is played from
 */
public record PullSource(StreamKey key, PullUrl url) {

  private static final Pattern ITEM = Pattern.compile("([A-Za-z0-9._~-]{1,128})/([A-Za-z0-9._~-]{1,128})=(\\S+)");

  /**
   * Parses {@code relay.pull}: {@code app/key=URL} items separated by commas; {@code ""} is none.
   *
   * @throws IllegalArgumentException when an item is malformed, its URL is not one the client speaks, or
   *     a stream is given twice
   */
  public static List<PullSource> parseAll(String text) {
    List<PullSource> sources = new ArrayList<>();
    if (text.isEmpty()) {
      return sources;
    }
    Set<StreamKey> keys = new HashSet<>();
    for (String item : text.split(",", -1)) {
      Matcher m = ITEM.matcher(item);
      if (!m.matches()) {
        throw new IllegalArgumentException("not app/key=URL: " + item);
      }
      StreamKey key = new StreamKey(m.group(1), m.group(2));
      if (!keys.add(key)) {
        throw new IllegalArgumentException("stream given twice: " + key);
      }
      sources.add(new PullSource(key, PullUrl.parse(m.group(3))));
    }
    return List.copyOf(sources);
  }

  /** The source as the API names it: its URL up to the app, as a push target's. */
  public String label() {
    return url.label();
  }
}
