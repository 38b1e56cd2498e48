package dev.streamedge.http;

import dev.streamedge.dash.Manifest;
import dev.streamedge.hls.HlsService;
import dev.streamedge.metrics.HlsMeters;
import dev.streamedge.session.HlsSessions;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.transcode.TranscodeService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Serves MPEG-DASH ({@link DashPath}) from what the HLS packager keeps ({@code hls.dash}): the MPD is
 * rendered once per segment and sent with the server's clock at the end of each response; init and
 * media segments are immutable, as HLS's. Auth and the play access rules are those of HLS; the bytes go
 * to the HLS meters, and players are counted as sessions by their MPD reloads ({@code hls-sessions.*}).
 */
final class DashHandler {

  /** ISO/IEC 23009-1 Annex C.1. */
  private static final CharSequence MPD_TYPE = HttpHeaders.createOptimized("application/dash+xml");
  private static final CharSequence VIDEO_TYPE = HttpHeaders.createOptimized("video/mp4");
  private static final CharSequence AUDIO_TYPE = HttpHeaders.createOptimized("audio/mp4");
  private static final CharSequence NO_CACHE = HttpHeaders.createOptimized("no-cache");

  private final HlsService hls;
  private final HlsHandler media;
  private final MediaHeaders headers;
  private final HlsMeters meters;
  private final PlayAuth auth;
  /** Counts DASH players as HLS players are counted: by their MPD reloads. */
  private final HlsSessionHook sessions;

  private final TranscodeService transcode;

  DashHandler(HlsService hls, HlsHandler media, MediaHeaders headers, HlsMeters meters, PlayAuth auth,
      HlsSessions sessions, TranscodeService transcode) {
    this.transcode = transcode;
    this.sessions = new HlsSessionHook(sessions);
    this.hls = hls;
    this.media = media;
    this.headers = headers;
    this.meters = meters;
    this.auth = auth;
  }

  void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    DashPath path = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD
        ? DashPath.parse(ctx.normalizedPath()) : null;
    if (path == null) {
      ctx.next();
      return;
    }
    StreamKey key = HttpServerVerticle.keyOrBadRequest(request, path.app(), path.name());
    if (key == null) {
      return;
    }
    if (hls.encrypted(key.app())) {
      // hls.keys encrypts the MPEG-TS segments only: the same media as DASH would go in the clear.
      headers.cors(request.response()).setStatusCode(404).end();
      return;
    }
    if (path.kind() == DashPath.Kind.MANIFEST) {
      sessions.count(request, key);
    }
    // Media URLs are checked as the MPD is: anyone could guess their names.
    auth.checkRequest(request, key, served -> {
      switch (path.kind()) {
        case MANIFEST -> manifest(request, served);
        case INIT -> send(request, hls.dashInit(served, path.run(), path.video()), path.video());
        case MEDIA -> send(request, hls.dashMedia(served, path.run(), path.time(), path.video()), path.video());
      }
    });
  }

  private void manifest(HttpServerRequest request, StreamKey key) {
    String query = auth.segmentQuery(request, key);
    // Segment URLs are relative to the MPD: <key>/<run>-<time>.m4v next to <key>.mpd, and a ladder's renditions'
    // at <key>_<rendition>/ beside it.
    List<StreamKey> renditions = transcode.renditionsOf(key);
    Future<Optional<Buffer>> mpd = renditions.isEmpty() ? hls.manifest(key, key.name() + "/")
        : hls.ladderManifest(key, renditions);
    mpd.onComplete(done -> {
      HttpServerResponse response = headers.cors(request.response());
      if (done.failed() || done.result().isEmpty()) {
        response.setStatusCode(404).end();
        return;
      }
      Buffer rendered = done.result().get();
      String tail = Manifest.closing(System.currentTimeMillis());
      Buffer body;
      if (query.isEmpty()) {
        body = Buffer.buffer(rendered.length() + tail.length()).appendBuffer(rendered).appendString(tail);
      } else {
        // A token in the MPD's query goes on to each segment URL, which resolves without it.
        String escaped = query.replace("&", "&amp;");
        body = Buffer.buffer(rendered.toString(StandardCharsets.UTF_8)
            .replace(".m4v\"", ".m4v" + escaped + "\"").replace(".m4a\"", ".m4a" + escaped + "\"") + tail);
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, MPD_TYPE).putHeader(HttpHeaders.CACHE_CONTROL, NO_CACHE);
      if (request.method() == HttpMethod.HEAD) {
        response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length())).end();
        return;
      }
      response.end(body);
      meters.playlistServed(body.length());
    });
  }

  private void send(HttpServerRequest request, Optional<Buffer> data, boolean video) {
    HttpServerResponse response = headers.cors(request.response());
    if (data.isEmpty()) {
      response.setStatusCode(404).end();
      return;
    }
    media.sendMedia(request, data.get(), video ? VIDEO_TYPE : AUDIO_TYPE);
  }
}
