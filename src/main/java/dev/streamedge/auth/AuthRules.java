package dev.streamedge.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which check applies to which app, as {@code auth.publish} and {@code auth.play} write it:
 * {@code app=mode} items separated by commas, {@code *} for every app not named, e.g.
 * {@code live=keys,studio=callback,*=sign}. An app that is not named, with no {@code *}, is open.
 *
 * @param byApp the mode of each named app
 * @param others the mode of every other app
 */
public record AuthRules(Map<String, AuthMode> byApp, AuthMode others) {

  private static final String ANY_APP = "*";
  private static final Pattern ITEM = Pattern.compile("([A-Za-z0-9._~-]{1,128}|\\*)=([a-z]+)");

  public AuthRules {
    byApp = Map.copyOf(byApp);
  }

  /**
   * Parses {@code text}; {@code ""} is every app open.
   *
   * @throws IllegalArgumentException when an item is malformed, names an app twice or uses a mode not
   *     in {@code allowed}
   */
  public static AuthRules parse(String text, Set<AuthMode> allowed) {
    Map<String, AuthMode> byApp = new LinkedHashMap<>();
    AuthMode others = null;
    if (text.isEmpty()) {
      return new AuthRules(byApp, AuthMode.NONE);
    }
    for (String item : text.split(",", -1)) {
      Matcher m = ITEM.matcher(item);
      if (!m.matches()) {
        throw new IllegalArgumentException("not app=mode: " + item);
      }
      AuthMode mode = AuthMode.of(m.group(2));
      if (!allowed.contains(mode)) {
        throw new IllegalArgumentException("mode not allowed here: " + mode);
      }
      if (m.group(1).equals(ANY_APP)) {
        if (others != null) {
          throw new IllegalArgumentException("* given twice");
        }
        others = mode;
      } else if (byApp.put(m.group(1), mode) != null) {
        throw new IllegalArgumentException("app given twice: " + m.group(1));
      }
    }
    return new AuthRules(byApp, others == null ? AuthMode.NONE : others);
  }

  public AuthMode modeOf(String app) {
    return byApp.getOrDefault(app, others);
  }

  /** Whether some app is checked with {@code mode}. */
  public boolean uses(AuthMode mode) {
    return others == mode || byApp.containsValue(mode);
  }
}
