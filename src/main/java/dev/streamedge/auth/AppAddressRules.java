package dev.streamedge.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code auth.publish-access} and {@code auth.play-access}: {@link AddressRules} for the whole node, or per app
 * as nginx-rtmp has its {@code allow}/{@code deny} lines in each {@code application} block. The node-wide form
 * is one list ({@code allow 127.0.0.1, deny all}); the per-app form is {@code app=list} sections separated by
 * semicolons, {@code *} for the apps without a section of their own, e.g. {@code live=allow 10.0.0.0/8, deny all;
 * *=deny 192.0.2.0/24}. An app's section replaces the {@code *} one, as an application's lines replace the
 * server's in nginx-rtmp; an empty list lets every address in; an app with no section and no {@code *} is open.
 * {@code =} never occurs in a list, so a value with one is the per-app form.
 *
 * @param byApp each named app's list
 * @param others the list of the other apps
 */
public record AppAddressRules(Map<String, AddressRules> byApp, AddressRules others) {

  /** Every address of every app allowed. */
  public static final AppAddressRules OPEN = new AppAddressRules(Map.of(), AddressRules.OPEN);

  private static final Pattern SECTION = Pattern.compile("\\s*([A-Za-z0-9._~-]{1,128}|\\*)\\s*=(.*)", Pattern.DOTALL);
  private static final String ANY_APP = "*";

  public AppAddressRules {
    byApp = Map.copyOf(byApp);
  }

  /**
   * Parses {@code text}; {@code ""} allows every address.
   *
   * @throws IllegalArgumentException when a section is not {@code app=list}, an app comes twice, or a list is not
   *     {@link AddressRules#parse} text
   */
  public static AppAddressRules parse(String text) {
    if (text.indexOf('=') < 0) {
      AddressRules all = AddressRules.parse(text);
      return all.open() ? OPEN : new AppAddressRules(Map.of(), all);
    }
    Map<String, AddressRules> byApp = new LinkedHashMap<>();
    AddressRules others = null;
    for (String section : text.split(";", -1)) {
      if (section.isBlank()) {
        continue; // a trailing semicolon
      }
      Matcher m = SECTION.matcher(section);
      if (!m.matches()) {
        throw new IllegalArgumentException("not app=<allow|deny address,...>: " + section.trim());
      }
      AddressRules rules;
      try {
        rules = AddressRules.parse(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(m.group(1) + ": " + e.getMessage(), e);
      }
      if (m.group(1).equals(ANY_APP)) {
        if (others != null) {
          throw new IllegalArgumentException("* given twice");
        }
        others = rules;
      } else if (byApp.put(m.group(1), rules) != null) {
        throw new IllegalArgumentException("app given twice: " + m.group(1));
      }
    }
    return new AppAddressRules(byApp, others == null ? AddressRules.OPEN : others);
  }

  /** The list that decides for {@code app}. */
  public AddressRules of(String app) {
    return byApp.getOrDefault(app, others);
  }

  /** Whether {@code address} may publish or play in {@code app}; see {@link AddressRules#allows}. */
  public boolean allows(String app, String address) {
    return of(app).allows(address);
  }

  @Override
  public String toString() {
    return byApp.isEmpty() ? others.toString() : byApp.size() + " apps, others " + others;
  }
}
