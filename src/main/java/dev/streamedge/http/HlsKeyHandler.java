package dev.streamedge.http;

import dev.streamedge.hls.HlsService;
import dev.streamedge.hls.HlsVariant;
import dev.streamedge.stream.StreamKey;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/**
 * The HTTP side of encrypted HLS ({@code hls.keys}, docs/playback.md#encrypted-hls): the AES-128 keys of an
 * encrypted app's MPEG-TS segments, behind the same play auth as its playlists, and a 404 for the forms of its
 * streams that would carry the media in the clear (fMP4, LL-HLS; DASH refuses them in {@link DashHandler}).
 */
final class HlsKeyHandler {

  private static final CharSequence KEY_TYPE = HttpHeaders.createOptimized("application/octet-stream");
  /** A key is for this viewer, who passed play auth: no shared cache in front may keep it for others. */
  private static final CharSequence PRIVATE = HttpHeaders.createOptimized("private, no-store");

  private final HlsService hls;
  private final MediaHeaders headers;
  private final PlayAuth auth;

  HlsKeyHandler(HlsService hls, MediaHeaders headers, PlayAuth auth) {
    this.hls = hls;
    this.headers = headers;
    this.auth = auth;
  }

  /** Whether {@code path} is an fMP4 or LL-HLS form of an encrypted app's HLS: answered 404 here. */
  boolean withheld(HttpServerRequest request, HlsPath path) {
    if (path.variant() == null || path.variant() == HlsVariant.MPEGTS || !hls.encrypted(path.app())) {
      return false;
    }
    headers.cors(request.response()).setStatusCode(404).end();
    return true;
  }

  /** {@code key-<id>.key}: the key while a kept segment is encrypted with it, else 404. */
  void key(HttpServerRequest request, String app, String name, String id) {
    StreamKey key = HttpServerVerticle.keyOrBadRequest(request, app, name);
    if (key == null) {
      return;
    }
    auth.checkRequest(request, key, served -> {
      HttpServerResponse response = headers.cors(request.response());
      Optional<Buffer> found = hls.key(served, Long.parseLong(id));
      if (found.isEmpty()) {
        response.setStatusCode(404).end();
        return;
      }
      response.putHeader(HttpHeaders.CONTENT_TYPE, KEY_TYPE).putHeader(HttpHeaders.CACHE_CONTROL, PRIVATE);
      if (request.method() == HttpMethod.HEAD) {
        response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(found.get().length())).end();
      } else {
        response.end(found.get());
      }
    });
  }
}
