package dev.streamedge.http;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.auth.AuthService;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Auth of HTTP players (HLS, HTTP-FLV, WebSocket-FLV): the request's query carries the signature or the
 * callback's arguments, as an RTMP stream name does. A refused request gets 403, with the CORS headers
 * so that a browser player sees the status rather than a network error.
 */
final class PlayAuth {

  /** RFC 3986 §3.4 query characters: a query of these can be written into a playlist as it came. */
  private static final Pattern QUERY = Pattern.compile("[A-Za-z0-9._~%!$&'()*+,;=:@/?-]*");

  private final AuthService auth;
  private final MediaHeaders headers;
  private final StreamRegistry registry;

  PlayAuth(AuthService auth, MediaHeaders headers, StreamRegistry registry) {
    this.auth = auth;
    this.headers = headers;
    this.registry = registry;
  }

  /**
   * Checks a play of {@code key}; {@code allowed} then runs on the caller's context, with the request
   * to report the play's end with and the stream to play: {@code key}, or the one the callback renamed the
   * play to (nginx-rtmp's on_play 3xx with a name; the request still names {@code key}, as nginx-rtmp's
   * events do). Else the response is 403, or 400 for a query that is no RFC 3986
   * query in an app whose plays are checked.
   */
  void check(HttpServerRequest request, StreamKey key, String protocol, BiConsumer<AuthRequest, StreamKey> allowed) {
    String query = query(request);
    // Only a checked app's query goes into playlists; other apps take any query, as before auth.
    if (auth.checksPlay(key.app()) && !QUERY.matcher(query).matches()) {
      request.response().setStatusCode(400).end();
      return;
    }
    AuthRequest play = new AuthRequest(AuthAction.PLAY, key, query,
        request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress(),
        String.valueOf(request.remoteAddress()), protocol, "");
    auth.check(play).onComplete(checked -> {
      if (checked.result().allowed()) {
        if (!checked.result().redirect().isEmpty()) {
          // nginx-rtmp's on_play redirect to rtmp://...: the node pulls the stream from there, before the
          // player looks for it.
          registry.redirected(key, checked.result().redirect());
        }
        allowed.accept(play, checked.result().streamFor(key));
      } else if (!request.response().closed()) {
        if (!request.isEnded()) {
          // A WebSocket upgrade waits paused: read it to its end so the connection can serve the next request.
          request.resume();
        }
        headers.cors(request.response()).setStatusCode(403).end();
      }
    });
  }

  /**
   * Checks an HLS request of {@code key}: a request, not a play that starts and ends, so nothing reports its
   * end. {@code allowed} gets the stream to serve: {@code key}, or the one the callback renamed it to. In an
   * app whose plays are not checked, from an address {@code auth.play-access} lets in, it runs at once:
   * {@link AuthService} would allow it without a look, and every playlist, part and segment request of every
   * player passes here, so it builds no request (a future) only to be waved through.
   */
  void checkRequest(HttpServerRequest request, StreamKey key, Consumer<StreamKey> allowed) {
    if (!auth.checksPlay(key.app()) && (!auth.checksPlayAddresses(key.app()) || auth.addressAllowed(AuthAction.PLAY,
        key.app(), request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress()))) {
      allowed.accept(key);
      return;
    }
    // A checked app, or an address auth.play-access keeps out: refused (logged, counted, 403) by the full check.
    check(request, key, "hls", (play, served) -> allowed.accept(served));
  }

  /**
   * What a playlist's segment URIs end with: its own query when plays of the app are checked, since a
   * player asks for segments by the URIs the playlist gives and would not carry the signature itself.
   */
  String segmentQuery(HttpServerRequest request, StreamKey key) {
    if (!auth.checksPlay(key.app())) {
      return "";
    }
    String query = query(request);
    return query.isEmpty() ? "" : "?" + query;
  }

  /** Asks auth.callback.on-update about an allowed play while it lasts; see {@link AuthService#watch}. */
  Runnable watch(AuthRequest play, Consumer<String> end) {
    return auth.watch(play, end);
  }

  /** Tells the done callbacks that an allowed play ended. */
  void ended(AuthRequest play) {
    auth.ended(play);
  }

  private static String query(HttpServerRequest request) {
    String query = request.query();
    return query == null ? "" : query;
  }
}
