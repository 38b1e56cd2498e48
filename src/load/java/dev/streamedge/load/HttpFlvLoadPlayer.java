package dev.streamedge.load;

import dev.streamedge.net.WireBuffers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * An HTTP-FLV player of the load generator: one GET of {@code http://host:port/app/name.flv}, whose
 * endless body is read as FLV tags (FLV spec v10.1 §E.2–E.4) into a {@link PlayerTrack}.
 */
final class HttpFlvLoadPlayer implements LoadPlayer {

  private static final int FLV_HEADER = 9 + 4;
  private static final int TAG_HEADER = 11;
  private static final int TYPE_VIDEO = 9;
  /** Far above a 1080p keyframe; a larger tag means the stream is out of step. */
  private static final int MAX_TAG = 16 * 1024 * 1024;

  private final PlayerTrack track;
  private final HttpClientAgent client;
  private final ByteBuf pending = Unpooled.buffer();
  private boolean headerRead;
  private volatile long bytesIn;

  private HttpFlvLoadPlayer(PlayerTrack track, HttpClientAgent client) {
    this.track = track;
    this.client = client;
  }

  /** Starts playing on {@code context}'s event loop. */
  static HttpFlvLoadPlayer start(Vertx vertx, Context context, URI url, LoadMeter meter) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true));
    HttpFlvLoadPlayer player = new HttpFlvLoadPlayer(new PlayerTrack(meter, System.nanoTime()), client);
    String uri = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    context.runOnContext(v -> player.request(url.getHost(), url.getPort() < 0 ? 80 : url.getPort(), uri));
    return player;
  }

  private void request(String host, int port, String uri) {
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(uri))
        .compose(request -> {
          Future<HttpClientResponse> response = request.send();
          track.playSent(System.nanoTime());
          return response;
        })
        .onComplete(answered -> {
          if (answered.failed()) {
            track.failed(String.valueOf(answered.cause().getMessage()));
          } else if (answered.result().statusCode() != 200) {
            track.failed("HTTP " + answered.result().statusCode());
            client.close();
          } else {
            HttpClientResponse response = answered.result();
            response.handler(this::onData);
            response.exceptionHandler(e -> track.closed("error: " + e.getMessage()));
            response.endHandler(v -> track.closed("response ended"));
          }
        });
  }

  private void onData(Buffer data) {
    bytesIn = bytesIn + data.length();
    pending.writeBytes(WireBuffers.unwrap(data));
    if (!headerRead) {
      if (pending.readableBytes() < FLV_HEADER) {
        return;
      }
      pending.skipBytes(FLV_HEADER);
      headerRead = true;
    }
    long now = System.nanoTime();
    while (pending.readableBytes() >= TAG_HEADER) {
      int at = pending.readerIndex();
      int type = pending.getByte(at) & 0x1F;
      int size = pending.getUnsignedMedium(at + 1);
      if (size > MAX_TAG) {
        track.closed("FLV tag of " + size + " bytes");
        client.close();
        return;
      }
      if (pending.readableBytes() < TAG_HEADER + size + 4) {
        break;
      }
      if (type == TYPE_VIDEO) {
        track.video(pending.slice(at + TAG_HEADER, size), now);
      }
      pending.skipBytes(TAG_HEADER + size + 4);
    }
    pending.discardReadBytes();
  }

  @Override
  public PlayerTrack track() {
    return track;
  }

  @Override
  public long bytesReceived() {
    return bytesIn;
  }

  @Override
  public Future<Void> close() {
    track.closing();
    return client.close();
  }
}
