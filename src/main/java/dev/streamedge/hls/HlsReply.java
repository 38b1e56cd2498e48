package dev.streamedge.hls;

import io.vertx.core.buffer.Buffer;

/**
 * The answer to an LL-HLS request: a playlist or a part (status 200), or why not: 400 for a request
 * RFC 8216bis §6.2.5.2 lets the server refuse at once, 404 for what is not (or no longer) there, 503
 * when the stream stalled or too many requests are parked on the node.
 */
public record HlsReply(int status, Buffer body) {

  static final HlsReply BAD_REQUEST = new HlsReply(400, null);
  static final HlsReply NOT_FOUND = new HlsReply(404, null);
  static final HlsReply UNAVAILABLE = new HlsReply(503, null);

  static HlsReply ok(Buffer body) {
    return new HlsReply(200, body);
  }
}
