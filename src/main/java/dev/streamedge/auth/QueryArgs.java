package dev.streamedge.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments of a query string ({@code a=1&b=x%20y}), decoded as HTML forms encode them, in their
 * order. An argument without '=' has an empty value.
 */
public final class QueryArgs {

  private QueryArgs() {
  }

  /** @throws IllegalArgumentException for a malformed percent escape */
  public static List<Map.Entry<String, String>> parse(String query) {
    List<Map.Entry<String, String>> args = new ArrayList<>();
    if (query.isEmpty()) {
      return args;
    }
    for (String part : query.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      args.add(Map.entry(URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8)));
    }
    return args;
  }

  /** The value of the first argument called {@code name}. */
  public static Optional<String> first(List<Map.Entry<String, String>> args, String name) {
    return args.stream().filter(a -> a.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
  }
}
