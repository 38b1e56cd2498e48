package dev.streamedge.http;

import dev.streamedge.metrics.HlsMeters;
import dev.streamedge.net.EventLoops;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.transcode.TranscodeService;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The seed URLs of HLS, {@code /hls/<key>.m3u8} and {@code /hls/<app>/<key>.m3u8}: the master playlist of
 * the stream's ladder when a transcoder runs for it (here or on its origin), else the media playlist as {@link HlsHandler} serves
 * it. Play auth is checked as for any playlist, and a signed query goes on to the variant URIs.
 */
final class MasterPlaylistHandler {

  private static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

  private final TranscodeService transcode;
  private final HlsHandler media;
  private final MediaHeaders headers;
  private final HlsMeters meters;
  private final PlayAuth auth;

  MasterPlaylistHandler(TranscodeService transcode, HlsHandler media, MediaHeaders headers, HlsMeters meters,
      PlayAuth auth) {
    this.transcode = transcode;
    this.media = media;
    this.headers = headers;
    this.meters = meters;
    this.auth = auth;
  }

  /** {@code sourcePrefix} leads from the seed URL's directory to {@code /hls/<app>/}: "live/" for the short form. */
  void playlist(HttpServerRequest request, String app, String name, String sourcePrefix) {
    StreamKey key = HttpServerVerticle.keyOrBadRequest(request, app, name);
    if (key == null) {
      return;
    }
    // It may wait for a transcoder or the cluster's ladder map and complete on their context: the
    // response, or the media playlist's chain, goes on from the request's own event loop.
    Context caller = Vertx.currentContext();
    EventLoops.backTo(caller, transcode.masterPlaylist(key, sourcePrefix, media.variantFile(app))).onComplete(done -> {
      if (done.failed() || done.result().isEmpty()) {
        media.playlist(request, app, name, sourcePrefix);
      } else {
        serve(request, key, done.result().get());
      }
    });
  }

  private void serve(HttpServerRequest request, StreamKey key, String master) {
    // A master exists for a stream with a ladder; a play renamed to another stream finds none for the name
    // it asked for and gets that stream's media playlist, above.
    auth.checkRequest(request, key, served -> {
      HttpServerResponse response = headers.cors(request.response())
          .putHeader("Content-Type", PLAYLIST_TYPE).putHeader("Cache-Control", "no-cache");
      Buffer body = Buffer.buffer(HlsHandler.withSegmentQuery(master, auth.segmentQuery(request, key)));
      if (request.method() == HttpMethod.HEAD) {
        response.putHeader("Content-Length", String.valueOf(body.length())).end();
      } else {
        response.end(body);
        meters.playlistServed(body.length());
      }
    });
  }
}
