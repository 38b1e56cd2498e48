package dev.streamedge.load;

import dev.streamedge.net.WireBuffers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * An HLS player of the load generator: polls a live media playlist (RFC 8216 §6.3.4: every half target
 * duration while nothing new is listed), starts at the newest segment, and downloads every segment
 * after it in order over one keep-alive connection. Each segment's video frames count as received when
 * the segment's download ends, which is when a player could first show them.
 */
final class HlsLoadPlayer implements LoadPlayer {

  /** A playlist as far as the player needs it: the target duration, and the segments by sequence number. */
  record Playlist(int targetDurationSeconds, long firstSequence, List<String> uris) {
    static Playlist parse(String text) {
      int target = 1;
      long first = 0;
      List<String> uris = new ArrayList<>();
      for (String line : text.split("\n")) {
        String trimmed = line.trim();
        if (trimmed.startsWith("#EXT-X-TARGETDURATION:")) {
          target = Integer.parseInt(trimmed.substring(22).trim());
        } else if (trimmed.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
          first = Long.parseLong(trimmed.substring(22).trim());
        } else if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
          uris.add(trimmed);
        }
      }
      return new Playlist(target, first, List.copyOf(uris));
    }

    long lastSequence() {
      return firstSequence + uris.size() - 1;
    }
  }

  private static final long RETRY_MILLIS = 500;

  private final Vertx vertx;
  private final Context context;
  private final PlayerTrack track;
  private final HttpClientAgent client;
  private final URI playlist;
  private long next = -1;
  private boolean playlistSeen;
  private boolean closed;
  private long timer = -1;
  private volatile long bytesIn;

  private HlsLoadPlayer(Vertx vertx, Context context, PlayerTrack track, HttpClientAgent client, URI playlist) {
    this.vertx = vertx;
    this.context = context;
    this.track = track;
    this.client = client;
    this.playlist = playlist;
  }

  /** Starts playing on {@code context}'s event loop. */
  static HlsLoadPlayer start(Vertx vertx, Context context, URI playlist, LoadMeter meter) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
    HlsLoadPlayer player = new HlsLoadPlayer(vertx, context, new PlayerTrack(meter, System.nanoTime()), client,
        playlist);
    context.runOnContext(v -> player.poll());
    return player;
  }

  private void poll() {
    if (closed) {
      return;
    }
    get(playlist).onComplete(answered -> {
      if (closed) {
        return;
      }
      if (answered.failed()) {
        stop(answered.cause().getMessage());
      } else if (answered.result().statusCode() != 200) {
        // The stream may not be live or packaged yet: ask again, as players do.
        later(RETRY_MILLIS);
      } else {
        answered.result().body().onSuccess(body -> {
          bytesIn = bytesIn + body.length();
          Playlist list = Playlist.parse(body.toString());
          playlistSeen = true;
          if (list.uris().isEmpty()) {
            later(RETRY_MILLIS);
            return;
          }
          if (next < 0) {
            next = list.lastSequence();
          }
          fetch(list);
        }).onFailure(e -> stop(e.getMessage()));
      }
    });
  }

  /** Downloads the segments from {@code next} on, one after the other, then polls again. */
  private void fetch(Playlist list) {
    if (closed) {
      return;
    }
    // Segments that rolled out of the playlist are lost: the frame numbers show the gap.
    next = Math.max(next, list.firstSequence());
    if (next > list.lastSequence()) {
      later(list.targetDurationSeconds() * 500L);
      return;
    }
    URI segment = playlist.resolve(list.uris().get((int) (next - list.firstSequence())));
    get(segment).compose(response -> response.statusCode() == 200 ? response.body() : Future.succeededFuture())
        .onComplete(downloaded -> {
          if (downloaded.failed()) {
            stop(downloaded.cause().getMessage());
            return;
          }
          Buffer body = downloaded.result();
          if (body != null) {
            bytesIn = bytesIn + body.length();
            long now = System.nanoTime();
            for (TsVideoReader.AccessUnit unit : TsVideoReader.read(WireBuffers.unwrap(body))) {
              track.frame(unit.keyframe(), unit.mark(), now);
            }
          }
          next++;
          fetch(list);
        });
  }

  private Future<HttpClientResponse> get(URI uri) {
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
        .setPort(uri.getPort() < 0 ? 80 : uri.getPort()).setURI(path)).compose(request -> {
          Future<HttpClientResponse> response = request.send();
          if (track.state() == PlayerTrack.State.CONNECTING) {
            track.playSent(System.nanoTime());
          }
          return response;
        });
  }

  private void later(long millis) {
    timer = vertx.setTimer(millis, id -> poll());
  }

  private void stop(String reason) {
    if (!closed) {
      closed = true;
      if (playlistSeen) {
        track.closed(reason);
      } else {
        track.failed(reason);
      }
      client.close();
    }
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
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      vertx.cancelTimer(timer);
      client.close().onComplete(done);
    });
    return done.future();
  }
}
