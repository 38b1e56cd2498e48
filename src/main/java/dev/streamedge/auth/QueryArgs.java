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

  /**
   * Most characters of query and tcUrl together in a checked request. An RTMP command may be megabytes
   * long; this keeps each cached callback answer small, so {@code auth.callback.cache-size} bounds memory.
   */
  static final int MAX_CHARS = 4096;

  private QueryArgs() {
  }

  /**
   * The arguments of a request's {@code query} to check it by.
   *
   * @throws IllegalArgumentException saying why the request is refused: its query and {@code tcUrl} longer
   *     than {@link #MAX_CHARS}, or a malformed query
   */
  static List<Map.Entry<String, String>> checked(String query, String tcUrl) {
    if (query.length() + tcUrl.length() > MAX_CHARS) {
      throw new IllegalArgumentException("query and tcUrl longer than " + MAX_CHARS + " characters");
    }
    try {
      return parse(query);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed query");
    }
  }

  /**
   * The arguments of an allowed session's {@code query}, for its events; none when they cannot be read: an
   * event is news, not a question a bad query could dodge.
   */
  static List<Map.Entry<String, String>> lenient(String query, String tcUrl) {
    try {
      return checked(query, tcUrl);
    } catch (IllegalArgumentException e) {
      return List.of();
    }
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
