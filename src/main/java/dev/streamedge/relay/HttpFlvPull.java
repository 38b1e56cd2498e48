package dev.streamedge.relay;

import dev.streamedge.flv.FlvStreamReader;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtmp.client.RtmpPlayClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One HTTP-FLV connection of a pull: a GET whose 200 answer is an FLV stream (as streamedge, SRS,
 * Node-Media-Server or {@code ffmpeg -f flv -listen 1} serve it), read tag by tag with
 * {@link FlvStreamReader} and handed to the listener as the RTMP play client hands messages: type 8, 9
 * or 18 with the tag's timestamp. Any other status refuses the play. The end of the answer is the end
 * of the connection: HTTP-FLV has no UnpublishNotify, a server ends the answer when its stream ends.
 * Nothing is queued here: each tag goes on as it completes, and the reader holds at most one. A source
 * that sends nothing for {@code silenceMillis} (a live stream always sends) is dropped, with that said.
 */
final class HttpFlvPull implements PullConnection {

  private final Vertx vertx;
  private final HttpClientResponse response;
  private boolean closed;
  private long lastDataNanos = System.nanoTime();
  private long silenceTimer = -1;

  private HttpFlvPull(Vertx vertx, HttpClientResponse response) {
    this.vertx = vertx;
    this.response = response;
  }

  /** Sends the GET on the caller's context; completes with the connection once a 200 came. */
  static Future<PullConnection> play(Vertx vertx, HttpClient client, PullUrl.HttpFlv url, int maxTagSize,
      long silenceMillis, RtmpPlayClient.Listener listener) {
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(url.host())
        .setPort(url.port())
        .setSsl(url.tls())
        .setURI(url.requestUri())
        .putHeader("Accept", "video/x-flv, */*");
    return client.request(request).compose(sent -> sent.send()).compose(response -> {
      if (response.statusCode() != 200) {
        response.request().connection().close();
        return Future.failedFuture("HTTP " + response.statusCode() + " " + response.statusMessage());
      }
      HttpFlvPull pull = new HttpFlvPull(vertx, response);
      FlvStreamReader reader = new FlvStreamReader(maxTagSize, listener::media);
      response.handler(chunk -> {
        if (pull.closed) {
          return;
        }
        pull.lastDataNanos = System.nanoTime();
        try {
          reader.feed(WireBuffers.unwrap(chunk));
        } catch (FlvStreamReader.FormatException e) {
          pull.end(listener, "bad FLV from the source: " + e.getMessage());
        }
      });
      response.exceptionHandler(e -> pull.end(listener, String.valueOf(e.getMessage())));
      response.endHandler(v -> pull.end(listener, "the source ended the stream after " + reader.tagsRead() + " tags"));
      // A timer set on this context fires on it: the check needs no lock. A quarter of the bound between
      // checks: a silent source is dropped after silenceMillis to 1.25 times it.
      long every = Math.max(1, silenceMillis / 4);
      pull.silenceTimer = vertx.setPeriodic(every, id -> {
        long silent = (System.nanoTime() - pull.lastDataNanos) / 1_000_000;
        if (silent >= silenceMillis) {
          pull.end(listener, "the source sent nothing for " + silent + " ms");
        }
      });
      return Future.succeededFuture(pull);
    });
  }

  private void end(RtmpPlayClient.Listener listener, String reason) {
    if (closed) {
      return;
    }
    close();
    listener.closed(reason);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (silenceTimer >= 0) {
        vertx.cancelTimer(silenceTimer);
      }
      response.request().connection().close();
    }
  }
}
