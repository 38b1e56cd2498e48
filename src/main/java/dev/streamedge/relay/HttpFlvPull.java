package dev.streamedge.relay;

import dev.streamedge.flv.FlvStreamReader;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.rtmp.client.RtmpPlayClient;
import io.vertx.core.Future;
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
 * Nothing is queued here: each tag goes on as it completes, and the reader holds at most one.
 */
final class HttpFlvPull implements PullConnection {

  private final HttpClientResponse response;
  private boolean closed;

  private HttpFlvPull(HttpClientResponse response) {
    this.response = response;
  }

  /** Sends the GET on the caller's context; completes with the connection once a 200 came. */
  static Future<PullConnection> play(HttpClient client, PullUrl.HttpFlv url, int maxTagSize,
      RtmpPlayClient.Listener listener) {
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
      HttpFlvPull pull = new HttpFlvPull(response);
      FlvStreamReader reader = new FlvStreamReader(maxTagSize, listener::media);
      response.handler(chunk -> {
        if (pull.closed) {
          return;
        }
        try {
          reader.feed(WireBuffers.unwrap(chunk));
        } catch (FlvStreamReader.FormatException e) {
          pull.end(listener, "bad FLV from the source: " + e.getMessage());
        }
      });
      response.exceptionHandler(e -> pull.end(listener, String.valueOf(e.getMessage())));
      response.endHandler(v -> pull.end(listener, "the source ended the stream after " + reader.tagsRead() + " tags"));
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
      response.request().connection().close();
    }
  }
}
