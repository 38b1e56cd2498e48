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
 *
 * <p>An LL-HLS playlist (with EXT-X-PART-INF) is played as an LL-HLS player does (RFC 8216bis §6.2.5.2):
 * from the newest independent part, every part in order, then a blocking reload for the part after the
 * last listed ({@code _HLS_msn}, {@code _HLS_part}); a part's frames count as received when it is
 * downloaded.
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

  /** An LL-HLS playlist as far as the player needs it: its parts in order, and the blocking reload for the next. */
  record Parts(List<String> uris, List<Long> numbers, List<Boolean> independent, String nextQuery) {
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile(
        "#EXT-X-PART:.*URI=\"([^\"]*?p([0-9]+)\\.m4s[^\"]*)\"(.*)");

    static Parts parse(String text) {
      long sequence = 0;
      long skipped = 0;
      long segments = 0;
      int openParts = 0;
      List<String> uris = new ArrayList<>();
      List<Long> numbers = new ArrayList<>();
      List<Boolean> independent = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
          sequence = Long.parseLong(line.substring(22).trim());
        } else if (line.startsWith("#EXT-X-SKIP:SKIPPED-SEGMENTS=")) {
          skipped = Long.parseLong(line.substring(29).trim());
        } else if (line.startsWith("#EXT-X-PART:")) {
          java.util.regex.Matcher m = PART.matcher(line);
          if (m.matches()) {
            uris.add(m.group(1));
            numbers.add(Long.parseLong(m.group(2)));
            independent.add(m.group(3).contains("INDEPENDENT=YES"));
            openParts++;
          }
        } else if (!line.isBlank() && !line.startsWith("#")) {
          segments++;
          openParts = 0;
        }
      }
      return new Parts(List.copyOf(uris), List.copyOf(numbers), List.copyOf(independent),
          "_HLS_msn=" + (sequence + skipped + segments) + "&_HLS_part=" + openParts);
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
    poll(playlist);
  }

  private void poll(URI url) {
    if (closed) {
      return;
    }
    get(url).onComplete(answered -> {
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
          String text = body.toString();
          playlistSeen = true;
          if (text.contains("#EXT-X-PART-INF:")) {
            fetchParts(Parts.parse(text), 0);
            return;
          }
          Playlist list = Playlist.parse(text);
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

  /** LL-HLS: downloads the listed parts from {@code next} on, from index {@code at}, then reloads blocking. */
  private void fetchParts(Parts parts, int at) {
    if (closed) {
      return;
    }
    if (next < 0) {
      // Start at the newest part that starts with a keyframe, as a player does.
      int start = parts.numbers().size() - 1;
      while (start > 0 && !parts.independent().get(start)) {
        start--;
      }
      next = start < 0 ? 0 : parts.numbers().get(start);
    }
    int index = at;
    while (index < parts.numbers().size() && parts.numbers().get(index) < next) {
      index++;
    }
    if (index >= parts.numbers().size()) {
      URI blocking;
      try {
        blocking = new URI(playlist.getScheme(), playlist.getRawAuthority(), playlist.getRawPath(), parts.nextQuery(),
            null);
      } catch (java.net.URISyntaxException e) {
        stop(e.getMessage());
        return;
      }
      poll(blocking);
      return;
    }
    int current = index;
    get(playlist.resolve(parts.uris().get(current)))
        .compose(response -> response.statusCode() == 200 ? response.body() : Future.succeededFuture())
        .onComplete(downloaded -> {
          if (downloaded.failed()) {
            stop(downloaded.cause().getMessage());
            return;
          }
          Buffer body = downloaded.result();
          if (body != null) {
            bytesIn = bytesIn + body.length();
            long now = System.nanoTime();
            for (TsVideoReader.AccessUnit unit : Fmp4VideoReader.read(WireBuffers.unwrap(body))) {
              track.frame(unit.keyframe(), unit.mark(), now);
            }
          }
          next = parts.numbers().get(current) + 1;
          fetchParts(parts, current + 1);
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
