package dev.streamedge.load.hostile;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Requests playlists of streams that do not exist at a fixed rate over kept-alive connections, as a
 * player stuck on a dead link or a scanner does. Requests beyond {@code maxInFlight} are skipped and
 * counted: the rate the server actually answered is what the report shows.
 */
final class MissingPlaylists {

  private static final long TICK_MS = 10;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String host;
  private final int port;
  private final double perTick;
  private final int maxInFlight;
  private final Tally tally;
  private double credit;
  private int inFlight;
  private long sequence;
  private boolean stopped;
  long skipped;

  MissingPlaylists(Vertx vertx, String host, int port, double perSecond, int connections, Tally tally) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections));
    this.host = host;
    this.port = port;
    this.perTick = perSecond * TICK_MS / 1000.0;
    this.maxInFlight = connections * 4;
    this.tally = tally;
  }

  void start() {
    vertx.setPeriodic(TICK_MS, id -> {
      if (stopped) {
        vertx.cancelTimer(id);
        return;
      }
      credit += perTick;
      while (credit >= 1) {
        credit--;
        if (inFlight >= maxInFlight) {
          skipped++;
          continue;
        }
        request();
      }
    });
  }

  void stop() {
    stopped = true;
    client.close();
  }

  private void request() {
    inFlight++;
    tally.requests++;
    // Both URL forms players use: nginx-rtmp's /hls/NAME.m3u8 and /hls/APP/NAME.m3u8.
    long n = sequence++;
    String uri = (n % 2 == 0 ? "/hls/missing-" : "/hls/live/missing-") + (n % 100_000) + ".m3u8";
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port).setURI(uri))
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(ar -> {
          inFlight--;
          if (ar.succeeded()) {
            tally.statuses.merge(ar.result(), 1L, Long::sum);
          } else {
            tally.errors++;
          }
        });
  }
}
