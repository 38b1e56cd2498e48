package dev.streamedge.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The load generator's command line, the main class of its own jar:
 * {@code java -jar target/streamedge-load.jar --url rtmp://127.0.0.1/live/bench --flv clip.flv}.
 */
@Command(name = "streamedge-load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Publishes an FLV file in real time to an RTMP server and plays it back with many players at once",
        "(RTMP, HTTP-FLV, HLS), measuring each H.264 frame's delay from publisher to player, time to first",
        "frame, lost frames, bytes and CPU. Connects only to the addresses given."})
public final class LoadMain implements Callable<Integer> {

  @Option(names = "--url", required = true, paramLabel = "rtmp://HOST[:PORT]/APP/NAME",
      description = "Where to publish, and what the RTMP players play unless --play-url is given. The scheme picks"
          + " the variant: rtmp, rtmps (TLS), rtmpe (encrypted), rtmpt (tunnelled over HTTP), rtmpts (over HTTPS),"
          + " rtmpte (encrypted, tunnelled).")
  String url;

  @Option(names = "--play-url", paramLabel = "rtmp://HOST[:PORT]/APP/NAME",
      description = "What the RTMP players play, if not --url: such as the same stream on an edge node of a cluster"
          + " whose origin --url publishes to, or over another variant (rtmpe://, rtmpt://, ...).")
  String playUrl;

  @Option(names = "--trust-all",
      description = "Over rtmps:// and rtmpts://, take any server certificate (a test server's self-signed one).")
  boolean trustAll;

  @Option(names = "--flv", required = true, paramLabel = "FILE",
      description = "H.264 (+ AAC) FLV file to publish, looped with timestamps that keep counting up.")
  Path flv;

  @Option(names = "--players", defaultValue = "10", description = "RTMP players (default ${DEFAULT-VALUE}).")
  int players;

  @Option(names = "--http-flv-players", defaultValue = "0",
      description = "HTTP-FLV players (default ${DEFAULT-VALUE}), of --http-flv-url.")
  int httpFlvPlayers;

  @Option(names = "--http-flv-url", paramLabel = "http://HOST:PORT/APP/NAME.flv")
  URI httpFlvUrl;

  @Option(names = "--hls-players", defaultValue = "0",
      description = "HLS players (default ${DEFAULT-VALUE}), of --hls-url; each starts at the newest segment, or"
          + " for an LL-HLS playlist (the seed URLs by default) at the newest independent part, then fetches every"
          + " part after blocking reloads (_HLS_msn/_HLS_part).")
  int hlsPlayers;

  @Option(names = "--hls-url", paramLabel = "http://HOST:PORT/hls/APP/NAME.m3u8")
  URI hlsUrl;

  @Option(names = "--ramp", defaultValue = "100", description = "Players opened per second (default ${DEFAULT-VALUE}).")
  double ramp;

  @Option(names = "--prewarm", defaultValue = "0", paramLabel = "SECONDS",
      description = "Before the ramp, play with up to 50 players this long, unmeasured, so both JITs are warm"
          + " (default ${DEFAULT-VALUE}).")
  double prewarm;

  @Option(names = "--warmup", defaultValue = "2", paramLabel = "SECONDS",
      description = "Wait after the last player opened before measuring (default ${DEFAULT-VALUE}).")
  double warmup;

  @Option(names = "--duration", defaultValue = "10", paramLabel = "SECONDS",
      description = "Length of the measurement window (default ${DEFAULT-VALUE}).")
  double duration;

  @Option(names = "--joins", defaultValue = "0", paramLabel = "PER_SECOND",
      description = "After the window, for as long again, players that join at this rate, each closed soon after"
          + " its first frame: the first frame of a player joining a warm, busy server (default ${DEFAULT-VALUE}).")
  double joins;

  @Option(names = "--server-pid", defaultValue = "0", paramLabel = "PID",
      description = "The server's process on this machine: its tree's CPU time and RSS are read from /proc.")
  long serverPid;

  @Option(names = "--event-loops", paramLabel = "N", description = "Event loop threads (default: one per core).")
  Integer eventLoops;

  @Option(names = "--json", description = "Print the report as JSON instead of text.")
  boolean json;

  public static void main(String[] args) {
    // Before any logger exists: logs go to stderr, stdout carries only the report.
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "log4j2-load.xml");
    }
    System.exit(new CommandLine(new LoadMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (players < 0 || httpFlvPlayers < 0 || hlsPlayers < 0 || players + httpFlvPlayers + hlsPlayers == 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "give --players, --http-flv-players and/or --hls-players");
    }
    if (httpFlvPlayers > 0 && !isHttp(httpFlvUrl)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "HTTP-FLV players need --http-flv-url http://...");
    }
    if (hlsPlayers > 0 && !isHttp(hlsUrl)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "HLS players need --hls-url http://...");
    }
    if (ramp <= 0 || prewarm < 0 || warmup < 0 || duration <= 0 || joins < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--ramp and --duration must be positive; --prewarm, --warmup and --joins not negative");
    }
    StreamTarget target = rtmp("--url", url);
    LoadRun.Options options = new LoadRun.Options(target, playUrl == null ? target : rtmp("--play-url", playUrl),
        players, httpFlvPlayers, httpFlvUrl, hlsPlayers, hlsUrl, flv, ramp, seconds(prewarm), seconds(warmup),
        seconds(duration), serverPid, eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops,
        joins);
    LoadReport report = new LoadRun(options).run();
    System.out.print(json ? report.json() + "\n" : report.text());
    System.out.flush();
    return 0;
  }

  private StreamTarget rtmp(String option, String value) {
    try {
      return StreamTarget.parse(value, trustAll);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), option + ": " + e.getMessage());
    }
  }

  private static boolean isHttp(URI uri) {
    return uri != null && "http".equals(uri.getScheme()) && uri.getHost() != null;
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
