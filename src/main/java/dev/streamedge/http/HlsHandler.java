package dev.streamedge.http;

import dev.streamedge.hls.HlsReply;
import dev.streamedge.hls.HlsSegment;
import dev.streamedge.hls.HlsService;
import dev.streamedge.hls.HlsVariant;
import dev.streamedge.metrics.HlsMeters;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves HLS playlists, segments and LL-HLS parts from memory. Plain playlists must not be cached
 * (they change every part or segment); a blocking LL-HLS playlist answer is cacheable, since its URL
 * names the segment and part it waited for (RFC 8216bis §6.2.5.2 asks for unique URLs for that
 * reason); segments, parts and init segments never change once listed, so they are immutable. HEAD
 * and single byte ranges are supported for segments.
 */
final class HlsHandler {

  // Header values as Vert.x's pre-encoded strings (HttpHeaders.createOptimized): set on every response,
  // they are copied into it as bytes, with their hash computed once, not per request.
  private static final CharSequence PLAYLIST_TYPE = HttpHeaders.createOptimized("application/vnd.apple.mpegurl");
  private static final CharSequence SEGMENT_TYPE = HttpHeaders.createOptimized("video/mp2t");
  /** RFC 8216 §3.3: fMP4 media and init segments. */
  private static final CharSequence FMP4_SEGMENT_TYPE = HttpHeaders.createOptimized("video/iso.segment");
  private static final CharSequence INIT_TYPE = HttpHeaders.createOptimized("video/mp4");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");
  private static final CharSequence IMMUTABLE = HttpHeaders.createOptimized("public, max-age=86400, immutable");
  /** A blocking answer: its URL names what it waited for, so a cache in front may keep it. */
  private static final CharSequence BLOCKING_ANSWER = HttpHeaders.createOptimized("public, max-age=60");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");
  private static final CharSequence BYTES = HttpHeaders.createOptimized("bytes");
  /** {@link #range}'s answer for a range outside the body. */
  private static final long[] UNSATISFIABLE = new long[0];

  private final HlsService hls;
  private final MediaHeaders headers;
  private final HlsMeters meters;
  private final PlayAuth auth;

  HlsHandler(HlsService hls, MediaHeaders headers, HlsMeters meters, PlayAuth auth) {
    this.hls = hls;
    this.headers = headers;
    this.meters = meters;
    this.auth = auth;
  }

  /**
   * A seed URL: the variant {@code hls.variant} names for the app. {@code appPrefix} leads from the seed
   * URL's directory to {@code /hls/<app>/} ("live/" for the short form), where the rendition reports of an
   * LL-HLS ladder point.
   */
  void playlist(HttpServerRequest request, String app, String name, String appPrefix) {
    // Segment URIs are relative to the playlist: <name>/<sequence>.ts next to <name>.m3u8.
    playlist(request, app, name, hls.seedVariant(app), name + "/", appPrefix);
  }

  /** The file name of {@code app}'s seed variant at its own URL: ll.m3u8, fmp4.m3u8 or ts.m3u8. */
  String variantFile(String app) {
    return switch (hls.seedVariant(app)) {
      case LOW_LATENCY -> "ll.m3u8";
      case FMP4 -> "fmp4.m3u8";
      case MPEGTS -> "ts.m3u8";
    };
  }

  /**
   * The playlist of one variant, at /hls/&lt;app&gt;/&lt;name&gt;/&lt;variant&gt;.m3u8: its segments
   * and init segments sit next to it, so their URIs are bare file names.
   */
  void variantPlaylist(HttpServerRequest request, String app, String name, HlsVariant variant) {
    playlist(request, app, name, variant, "", "../");
  }

  private void playlist(HttpServerRequest request, String app, String name, HlsVariant variant, String prefix,
      String appPrefix) {
    StreamKey key = HttpServerVerticle.keyOrBadRequest(request, app, name);
    if (key == null) {
      return;
    }
    if (variant == HlsVariant.LOW_LATENCY) {
      lowLatencyPlaylist(request, key, prefix, appPrefix);
      return;
    }
    auth.checkRequest(request, key, served -> {
      String segmentQuery = auth.segmentQuery(request, key);
      hls.playlist(served, variant, prefix).onComplete(done -> {
        HttpServerResponse response = headers.cors(request.response());
        if (done.failed() || done.result().isEmpty()) {
          response.setStatusCode(404).end();
          return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, PLAYLIST_TYPE).putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
        Buffer playlist = done.result().get();
        send(request, segmentQuery.isEmpty() ? playlist
            : Buffer.buffer(withSegmentQuery(playlist.toString(StandardCharsets.UTF_8), segmentQuery)),
            meters::playlistServed);
      });
    });
  }

  /**
   * An LL-HLS playlist: RFC 8216bis §6.2.5.2 blocking reload with {@code _HLS_msn} and {@code
   * _HLS_part}, §6.2.5.1 delta updates with {@code _HLS_skip}. Malformed values are a 400 at once.
   */
  private void lowLatencyPlaylist(HttpServerRequest request, StreamKey key, String prefix, String appPrefix) {
    String query = request.query();
    String msnText;
    String partText;
    String skipText;
    try {
      msnText = QueryParam.first(query, "_HLS_msn");
      partText = QueryParam.first(query, "_HLS_part");
      skipText = QueryParam.first(query, "_HLS_skip");
    } catch (IllegalArgumentException badlyEncoded) {
      headers.cors(request.response()).setStatusCode(400).end();
      return;
    }
    // RFC 8216bis §6.2.5: decimal-integer query values; anything else (-1, abc, 1e30) is a 400.
    if (msnText != null && !HlsPath.isNumber(msnText, 18) || partText != null
        && (msnText == null || !HlsPath.isNumber(partText, 9))
        || skipText != null && !skipText.equals("YES") && !skipText.equals("v2")) {
      headers.cors(request.response()).setStatusCode(400).end();
      return;
    }
    long msn = msnText == null ? -1 : Long.parseLong(msnText);
    int part = partText == null ? -1 : Integer.parseInt(partText);
    auth.checkRequest(request, key, served -> {
      String segmentQuery = withoutHlsParams(auth.segmentQuery(request, key));
      hls.lowLatencyPlaylist(served, prefix, appPrefix, msn, part, skipText != null).onComplete(done -> {
        HttpServerResponse response = headers.cors(request.response());
        HlsReply reply = done.succeeded() ? done.result() : new HlsReply(404, null);
        if (reply.status() != 200) {
          response.setStatusCode(reply.status()).end();
          return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, PLAYLIST_TYPE)
            .putHeader(HttpHeaders.CACHE_CONTROL, msn >= 0 ? BLOCKING_ANSWER : NO_CACHE);
        // Without a query to add, the answer goes as it is: blocking answers are rendered once for all
        // the requests that waited for the same part.
        send(request, segmentQuery.isEmpty() ? reply.body()
            : Buffer.buffer(withSegmentQuery(reply.body().toString(), segmentQuery)), meters::playlistServed);
      });
    });
  }

  /** An LL-HLS part, {@code p<number>.m4s}; the preload-hinted one is answered once it exists. */
  void part(HttpServerRequest request, String app, String name, String number) {
    StreamKey key = HttpServerVerticle.keyOrBadRequest(request, app, name);
    if (key == null) {
      return;
    }
    auth.checkRequest(request, key, served -> hls.part(served, Long.parseLong(number)).onComplete(done -> {
      HttpServerResponse response = headers.cors(request.response());
      HlsReply reply = done.succeeded() ? done.result() : new HlsReply(404, null);
      if (reply.status() != 200) {
        response.setStatusCode(reply.status()).end();
        return;
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, FMP4_SEGMENT_TYPE).putHeader(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
          .putHeader(HttpHeaders.ACCEPT_RANGES, BYTES);
      sendRange(request, reply.body());
    }));
  }

  /** The query without the LL-HLS parameters, which belong to the playlist request only. */
  static String withoutHlsParams(String query) {
    if (query.isEmpty()) {
      return query;
    }
    String kept = String.join("&", java.util.Arrays.stream(query.substring(1).split("&"))
        .filter(p -> !p.startsWith("_HLS_")).toList());
    return kept.isEmpty() ? "" : "?" + kept;
  }

  /** Appends {@code query} to every URI line of {@code playlist} (RFC 8216 §4.1: lines not starting with #). */
  static String withSegmentQuery(String playlist, String query) {
    if (query.isEmpty()) {
      return playlist;
    }
    StringBuilder out = new StringBuilder(playlist.length() + 16 * query.length());
    for (String line : playlist.split("\n", -1)) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(line);
      if (!line.isEmpty() && !line.startsWith("#")) {
        out.append(query);
      } else if (line.contains("URI=\"")) {
        // EXT-X-MAP, EXT-X-PART and EXT-X-PRELOAD-HINT name their resource in a URI attribute.
        int close = line.indexOf('"', line.indexOf("URI=\"") + 5);
        out.setLength(out.length() - (line.length() - close));
        out.append(query).append(line, close, line.length());
      }
    }
    return out.toString();
  }

  void segment(HttpServerRequest request, String app, String name, String sequence, HlsVariant variant) {
    StreamKey key = HttpServerVerticle.keyOrBadRequest(request, app, name);
    if (key == null) {
      return;
    }
    // Segments are checked as playlists are: their names are sequence numbers anyone could guess.
    auth.checkRequest(request, key, served -> hls.segment(served, Long.parseLong(sequence)).onComplete(done -> {
      HttpServerResponse response = headers.cors(request.response());
      if (done.failed() || done.result().isEmpty()) {
        response.setStatusCode(404).end();
        return;
      }
      HlsSegment segment = done.result().get();
      boolean ts = variant == HlsVariant.MPEGTS;
      response.putHeader(HttpHeaders.CONTENT_TYPE, ts ? SEGMENT_TYPE : FMP4_SEGMENT_TYPE)
          .putHeader(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
          .putHeader(HttpHeaders.ACCEPT_RANGES, BYTES);
      FileChannel file = ts && fileSendable(request) ? segment.file().retain() : null;
      if (file != null) {
        sendFileRange(request, segment, file);
      } else {
        sendRange(request, ts ? segment.data() : segment.fmp4());
      }
    }));
  }

  /**
   * Whether the kernel can send a file to this request itself: a GET over plain HTTP/1.x. Vert.x reads the
   * file on the event loop to encrypt it or to frame it for HTTP/2; those are sent from memory.
   */
  private static boolean fileSendable(HttpServerRequest request) {
    return request.method() == HttpMethod.GET && !request.isSSL() && request.version() != HttpVersion.HTTP_2;
  }

  /** As {@link #sendRange}, from the segment's file with {@code sendfile}; the hold on it ends with the send. */
  private void sendFileRange(HttpServerRequest request, HlsSegment segment, FileChannel file) {
    int length = segment.data().length();
    long[] range = range(request, length);
    if (range == UNSATISFIABLE) {
      segment.file().release();
      request.response().setStatusCode(416).putHeader("Content-Range", "bytes */" + length).end();
      return;
    }
    long start = range == null ? 0 : range[0];
    long count = range == null ? length : range[1] - range[0] + 1;
    if (range != null) {
      request.response().setStatusCode(206).putHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + length);
    }
    Future<Void> sent;
    try {
      sent = request.response().sendFile(file, start, count);
    } catch (RuntimeException closed) {
      segment.file().release();
      throw closed;
    }
    sent.onComplete(done -> segment.file().release());
    meters.segmentServed(count);
  }

  /** An fMP4 init segment; immutable like a segment, since a changed init gets a new id. */
  void init(HttpServerRequest request, String app, String name, String id) {
    StreamKey key = HttpServerVerticle.keyOrBadRequest(request, app, name);
    if (key == null) {
      return;
    }
    auth.checkRequest(request, key, served -> hls.init(served, Long.parseLong(id)).onComplete(done -> {
      HttpServerResponse response = headers.cors(request.response());
      if (done.failed() || done.result().isEmpty()) {
        response.setStatusCode(404).end();
        return;
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, INIT_TYPE)
          .putHeader(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
          .putHeader(HttpHeaders.ACCEPT_RANGES, BYTES);
      sendRange(request, done.result().get());
    }));
  }

  /**
   * A media or init segment of another segment-based format (MPEG-DASH): immutable, byte ranges served, sent
   * as HLS segments are and counted with them. CORS headers are the caller's.
   */
  void sendMedia(HttpServerRequest request, Buffer data, CharSequence contentType) {
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType).putHeader(HttpHeaders.CACHE_CONTROL, IMMUTABLE)
        .putHeader(HttpHeaders.ACCEPT_RANGES, BYTES);
    sendRange(request, data);
  }

  private void sendRange(HttpServerRequest request, Buffer data) {
    int length = data.length();
    long[] range = range(request, length);
    if (range == null) {
      send(request, data, meters::segmentServed);
      return;
    }
    if (range == UNSATISFIABLE) {
      request.response().setStatusCode(416).putHeader("Content-Range", "bytes */" + length).end();
      return;
    }
    request.response().setStatusCode(206).putHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + length);
    send(request, data.slice((int) range[0], (int) range[1] + 1), meters::segmentServed);
  }

  /**
   * The request's single byte range of a body of {@code length} bytes, first and last byte: null for the
   * whole body (no Range, or one RFC 9110 §14.2 lets a server ignore: several ranges, another unit),
   * {@link #UNSATISFIABLE} for a 416.
   */
  private static long[] range(HttpServerRequest request, int length) {
    String range = request.getHeader("Range");
    if (range == null) {
      return null;
    }
    Matcher m = RANGE.matcher(range.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    long start;
    long end;
    if (m.group(1).isEmpty()) {
      long suffix = Long.parseLong(m.group(2));
      start = Math.max(0, length - suffix);
      end = length - 1;
    } else {
      start = Long.parseLong(m.group(1));
      end = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
    }
    return start >= length || start > end ? UNSATISFIABLE : new long[] {start, end};
  }

  /**
   * Sends {@code body}, or only its length for HEAD; {@code served} counts a body sent. A segment's or
   * part's memory is held until the response is written: the window may let go of it meanwhile, and
   * one it already let go of is gone (404). A playlist's needs no hold (the garbage collector frees it), and
   * so no listener on the response's end.
   */
  private static void send(HttpServerRequest request, Buffer body, LongConsumer served) {
    HttpServerResponse response = request.response();
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())).end();
      return;
    }
    if (!WireBuffers.needsHold(body)) {
      response.end(body);
      served.accept(body.length());
      return;
    }
    if (!WireBuffers.retain(body)) {
      response.headers().remove("Content-Range");
      response.setStatusCode(404).end();
      return;
    }
    Future<Void> sent;
    try {
      sent = response.end(body);
    } catch (RuntimeException closed) {
      WireBuffers.release(body);
      throw closed;
    }
    sent.onComplete(done -> WireBuffers.release(body));
    served.accept(body.length());
  }
}
