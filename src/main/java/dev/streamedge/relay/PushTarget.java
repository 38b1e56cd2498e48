package dev.streamedge.relay;

import dev.streamedge.rtmp.client.RtmpUrl;
import dev.streamedge.stream.StreamKey;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One item of {@code relay.push}: the streams of {@code app} ({@code *} for every app) are pushed to
 * {@code url}, a template in which {@code {app}} and {@code {key}} stand for the stream's app and key,
 * e.g. {@code live=rtmp://127.0.0.1:1936/live/{key}}. Any scheme the RTMP client speaks: rtmp, rtmps,
 * rtmpe, rtmpt, rtmpts, rtmpte.
 *
 * @param app the app whose streams are pushed, or {@code *}
 * @param url the target URL template
 */
public record PushTarget(String app, String url) {

  private static final String ANY_APP = "*";
  private static final Pattern ITEM = Pattern.compile("([A-Za-z0-9._~-]{1,128}|\\*)=(\\S+)");
  /** An example stream, to check at start that a template makes a URL the client can connect to. */
  private static final StreamKey EXAMPLE = new StreamKey("app", "key");

  /**
   * Parses {@code relay.push}: {@code app=URL} items separated by commas, as {@code auth.publish} writes
   * its rules; an app may have several targets; {@code ""} is none.
   *
   * @throws IllegalArgumentException when an item is malformed, its URL is not one the client speaks, or
   *     one target is given twice
   */
  public static List<PushTarget> parseAll(String text) {
    return parse(text, false);
  }

  /**
   * Parses {@code relay.pull-on-demand}: as {@link #parseAll}, and a URL may also be an HTTP-FLV one
   * ({@link PullUrl}).
   */
  public static List<PushTarget> parsePullTemplates(String text) {
    return parse(text, true);
  }

  private static List<PushTarget> parse(String text, boolean pull) {
    List<PushTarget> targets = new ArrayList<>();
    if (text.isEmpty()) {
      return targets;
    }
    for (String item : text.split(",", -1)) {
      Matcher m = ITEM.matcher(item);
      if (!m.matches()) {
        throw new IllegalArgumentException("not app=URL: " + item);
      }
      PushTarget target = new PushTarget(m.group(1), m.group(2));
      if (pull) {
        target.pullUrlFor(EXAMPLE);
      } else {
        target.urlFor(EXAMPLE);
      }
      if (targets.contains(target)) {
        throw new IllegalArgumentException("target given twice: " + item);
      }
      targets.add(target);
    }
    return List.copyOf(targets);
  }

  public boolean matches(String streamApp) {
    return app.equals(ANY_APP) || app.equals(streamApp);
  }

  /** The URL {@code key} is pushed to. */
  public RtmpUrl urlFor(StreamKey key) {
    return RtmpUrl.parse(url.replace("{app}", key.app()).replace("{key}", key.name()));
  }

  /** The URL {@code key} is pulled from, as an on-demand pull's template. */
  public PullUrl pullUrlFor(StreamKey key) {
    return PullUrl.parse(url.replace("{app}", key.app()).replace("{key}", key.name()));
  }

  /**
   * The target as the API and the metrics name it: the URL up to its app, since the stream name of a
   * service like YouTube's is its secret key. Bounded by the config, so fit for a metric label.
   */
  public String label() {
    String path = url.split("\\?", 2)[0];
    return path.substring(0, path.lastIndexOf('/'));
  }
}
