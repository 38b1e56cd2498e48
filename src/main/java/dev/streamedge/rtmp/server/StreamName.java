package dev.streamedge.rtmp.server;

import dev.streamedge.stream.StreamNames;

/**
 * A stream or application name from an RTMP command, split from its query string
 * ({@code test?sign=...}); the query is kept for authentication. Names are restricted to characters
 * that are safe in file names and URLs, since HLS and FLV URLs are built from them.
 */
record StreamName(String name, String query) {

  /** Splits {@code raw} at the first '?'; returns null when the name part is not a safe name. */
  static StreamName parse(String raw) {
    if (raw == null) {
      return null;
    }
    int q = raw.indexOf('?');
    String name = q < 0 ? raw : raw.substring(0, q);
    String query = q < 0 ? "" : raw.substring(q + 1);
    if (!StreamNames.valid(name)) {
      return null;
    }
    return new StreamName(name, query);
  }
}
