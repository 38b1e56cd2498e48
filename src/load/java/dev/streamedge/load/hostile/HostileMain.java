package dev.streamedge.load.hostile;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Hostile clients against one node for a while, then a JSON report of what the server did to them:
 * {@code java -cp target/streamedge-load.jar dev.streamedge.load.hostile.HostileMain --duration 60}.
 * bench/hostile runs it beside the load generator's honest players.
 */
@Command(name = "streamedge-hostile", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Hits an RTMP and HTTP server with idle, slow, garbage and pointless clients, keeping each",
        "population or rate for the whole run, and reports what the server did to them."})
public final class HostileMain implements Callable<Integer> {

  /** A request head sent a byte a second: 60 bytes take a minute, far past any header deadline. */
  private static final byte[] SLOW_REQUEST = ("GET /hls/slow.m3u8 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "User-Agent: slowloris\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "The server (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--rtmp-port", defaultValue = "1935", description = "Its RTMP port (default ${DEFAULT-VALUE}).")
  int rtmpPort;

  @Option(names = "--http-port", defaultValue = "8080", description = "Its HTTP port (default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--idle-tcp", defaultValue = "1000",
      description = "RTMP connections kept open that send C0 and half a C1, then nothing (default ${DEFAULT-VALUE}).")
  int idleTcp;

  @Option(names = "--slow-http", defaultValue = "1000",
      description = "HTTP connections kept open that send a request head a byte a second (default ${DEFAULT-VALUE}).")
  int slowHttp;

  @Option(names = "--garbage", defaultValue = "50",
      description = "Connections a second that send 8 KiB of random bytes, half to each port (default ${DEFAULT-VALUE}).")
  double garbage;

  @Option(names = "--missing-playlists", defaultValue = "2000",
      description = "Playlist requests a second for streams that do not exist (default ${DEFAULT-VALUE}).")
  double missingPlaylists;

  @Option(names = "--open-rate", defaultValue = "200",
      description = "New idle or slow connections a second, each kind, to build and keep the populations up"
          + " (default ${DEFAULT-VALUE}).")
  double openRate;

  @Option(names = "--duration", defaultValue = "60", description = "Seconds to run (default ${DEFAULT-VALUE}).")
  double duration;

  public static void main(String[] args) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "log4j2-load.xml");
    }
    System.exit(new CommandLine(new HostileMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    NetClient net = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000));
    Tally idle = new Tally("idle_tcp");
    Tally slow = new Tally("slow_http");
    Tally rtmpGarbage = new Tally("garbage_rtmp");
    Tally httpGarbage = new Tally("garbage_http");
    Tally missing = new Tally("missing_playlists");
    List<Population> populations = new ArrayList<>();
    Population[] idlePopulation = {null};
    Population[] slowPopulation = {null};
    List<Garbage> garbages = new ArrayList<>();
    List<MissingPlaylists> floods = new ArrayList<>();
    CompletableFuture<Void> started = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      if (idleTcp > 0) {
        idlePopulation[0] = new Population(vertx, net, host, rtmpPort, idleTcp, openRate, (socket, t) -> {
          byte[] c0c1 = new byte[1 + 768];
          c0c1[0] = 3;
          socket.write(Buffer.buffer(c0c1));
          t.bytesSent += c0c1.length;
        }, null, idle);
        populations.add(idlePopulation[0]);
      }
      if (slowHttp > 0) {
        slowPopulation[0] = new Population(vertx, net, host, httpPort, slowHttp, openRate,
            (socket, t) -> sendSlowByte(socket, 0, t),
            (socket, secondsOpen, t) -> sendSlowByte(socket, secondsOpen, t), slow);
        populations.add(slowPopulation[0]);
      }
      if (garbage > 0) {
        garbages.add(new Garbage(vertx, net, host, rtmpPort, true, garbage / 2, 30_000, rtmpGarbage));
        garbages.add(new Garbage(vertx, net, host, httpPort, false, garbage / 2, 30_000, httpGarbage));
      }
      if (missingPlaylists > 0) {
        floods.add(new MissingPlaylists(vertx, host, httpPort, missingPlaylists, 64, missing));
      }
      populations.forEach(Population::start);
      garbages.forEach(Garbage::start);
      floods.forEach(MissingPlaylists::start);
      vertx.setPeriodic(5000, id -> System.err.printf("hostile: open idle_tcp=%d slow_http=%d; missing playlist"
          + " requests=%d answered=%s%n", openOf(idlePopulation[0]), openOf(slowPopulation[0]), missing.requests,
          missing.statuses));
      started.complete(null);
    });
    started.get(10, TimeUnit.SECONDS);
    Thread.sleep((long) (duration * 1000));
    CompletableFuture<String> report = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      StringBuilder s = new StringBuilder("{\"duration_s\":").append(duration).append(",\"open_at_end\":{");
      s.append("\"idle_tcp\":").append(openOf(idlePopulation[0]));
      s.append(",\"slow_http\":").append(openOf(slowPopulation[0]));
      s.append("},\"garbage_not_closed_in_30s\":").append(garbages.stream().mapToLong(g -> g.notClosed).sum());
      s.append(",\"missing_playlists_skipped\":").append(floods.stream().mapToLong(f -> f.skipped).sum());
      s.append(",\"kinds\":[");
      String sep = "";
      for (Tally t : List.of(idle, slow, rtmpGarbage, httpGarbage, missing)) {
        s.append(sep).append(t.json());
        sep = ",";
      }
      s.append("]}");
      populations.forEach(Population::stop);
      garbages.forEach(Garbage::stop);
      floods.forEach(MissingPlaylists::stop);
      report.complete(s.toString());
    });
    System.out.println(report.get(10, TimeUnit.SECONDS));
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return 0;
  }

  private static int openOf(Population population) {
    return population == null ? 0 : population.open();
  }

  private static void sendSlowByte(io.vertx.core.net.NetSocket socket, long index, Tally tally) {
    if (index < SLOW_REQUEST.length) {
      socket.write(Buffer.buffer(new byte[] {SLOW_REQUEST[(int) index]}));
      tally.bytesSent++;
    }
  }
}
