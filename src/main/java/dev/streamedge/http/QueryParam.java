package dev.streamedge.http;

import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * One parameter of a request's query, found by a scan of the query string. Vert.x's {@code getParam}
 * decodes the whole query into a map on a request's first call; the LL-HLS playlist requests (several per
 * player per second) want at most three names, so the map and its entries were a good share of what an
 * LL-HLS request allocated. Same reading as Vert.x's: pairs split at {@code &} and {@code ;} (Netty's
 * {@link QueryStringDecoder}, which Vert.x uses), names matched without regard to case (Vert.x's parameter map
 * is case-insensitive), the first pair of the name wins, names and values percent-decoded with {@code +} as
 * a space (application/x-www-form-urlencoded), a name without {@code =} has the empty value, and a
 * {@code #} ends the query.
 */
final class QueryParam {

  private QueryParam() {
  }

  /**
   * The decoded value of the first {@code name} pair in {@code query} (a raw query, without its
   * {@code ?}), or null when there is none.
   *
   * @throws IllegalArgumentException when that pair's value is badly percent-encoded
   */
  static String first(String query, String name) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    int length = query.length();
    int nameStart = 0;
    int valueStart = -1;
    for (int i = 0; i <= length; i++) {
      char c = i == length ? '#' : query.charAt(i);
      if (c == '=') {
        // As Netty's decoder: a pair that starts with '=' has its name after it.
        if (nameStart == i) {
          nameStart = i + 1;
        } else if (valueStart < nameStart) {
          valueStart = i + 1;
        }
      } else if (c == '&' || c == ';' || c == '#') {
        int nameEnd = valueStart > nameStart ? valueStart - 1 : i;
        if (nameEnd > nameStart && nameMatches(query, nameStart, nameEnd, name)) {
          return valueStart > nameStart ? decode(query.substring(valueStart, i)) : "";
        }
        if (c == '#') {
          // The end, or a fragment, which is no part of the query.
          return null;
        }
        nameStart = i + 1;
      }
    }
    return null;
  }

  private static boolean nameMatches(String query, int start, int end, String name) {
    for (int i = start; i < end; i++) {
      char c = query.charAt(i);
      if (c == '%' || c == '+') {
        // An encoded name: rare; decoded as Netty would, a bad one matches nothing.
        try {
          return QueryStringDecoder.decodeComponent(query.substring(start, end)).equalsIgnoreCase(name);
        } catch (IllegalArgumentException e) {
          return false;
        }
      }
    }
    return end - start == name.length() && query.regionMatches(true, start, name, 0, name.length());
  }

  private static String decode(String value) {
    return value.indexOf('%') < 0 && value.indexOf('+') < 0 ? value : QueryStringDecoder.decodeComponent(value);
  }
}
