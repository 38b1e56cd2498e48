package dev.streamedge.transcode;

import dev.streamedge.auth.AuthAction;
import dev.streamedge.auth.AuthDecision;
import dev.streamedge.auth.AuthRequest;
import dev.streamedge.auth.PublishReservations;
import dev.streamedge.auth.QueryArgs;
import dev.streamedge.config.TranscodeConfig;
import dev.streamedge.metrics.TranscodeMeters;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcoders of the node: when a stream of a {@code transcode.apps} app goes live by a publisher
 * here, it gets a {@link Transcoder} on an event-loop context of its own, up to
 * {@code transcode.max-processes} at once (beyond them the stream plays its source only, with a log
 * line and a metric). Its ffmpeg publishes each rendition back to this node's RTMP listener on loopback,
 * with a token of that ffmpeg process in the stream name's query: only that publish, from loopback and
 * once per rendition, may take a rendition's name ({@link #decide}); any other publisher of such a name is refused, whatever the app's
 * auth says, so that no one can pose as a rendition. The master playlist is built here from the
 * renditions' measured streams ({@link #masterPlaylist}).
 */
public final class TranscodeService implements PublishReservations {

  private static final Logger LOG = LoggerFactory.getLogger(TranscodeService.class);
  private static final String TOKEN_ARG = "transcoder";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A running transcoder and the watches of its renditions. */
  private record Entry(Transcoder transcoder, List<RenditionWatch> watches) {
  }

  private final Vertx vertx;
  private final StreamRegistry registry;
  private final TranscodeConfig config;
  private final List<Rendition> ladder;
  private final TranscodeMeters meters;
  private final String rtmpHost;
  /** {@link #rtmpHost} resolved once at start-up, so that no check resolves a name on an event loop. */
  private final InetAddress rtmpAddress;
  private final IntSupplier rtmpPort;
  private final boolean available;
  private final Map<StreamKey, Entry> running = new ConcurrentHashMap<>();
  /** The ladders shared with the other nodes of a cluster; null on a single node. */
  private final LadderShare share;
  /** With {@code transcode.on-demand}, what starts and stops the transcoders; null otherwise. */
  private final OnDemandTranscoders onDemand;

  /**
   * @param takesPublishers false on a cluster edge, which transcodes nothing
   * @param rtmpHost the RTMP listener's address: renditions are published to it, or to 127.0.0.1 when it
   *     listens on every address
   * @param rtmpPort the RTMP listener's port, known once it listens
   */
  public TranscodeService(Vertx vertx, StreamRegistry registry, TranscodeConfig config, boolean takesPublishers,
      String rtmpHost, IntSupplier rtmpPort, TranscodeMeters meters) {
    this.vertx = vertx;
    this.registry = registry;
    this.config = config;
    this.ladder = config.renditions();
    this.meters = meters;
    this.rtmpHost = rtmpHost.equals("0.0.0.0") || rtmpHost.equals("::") ? "127.0.0.1" : rtmpHost;
    this.rtmpPort = rtmpPort;
    this.rtmpAddress = resolve(this.rtmpHost);
    // An edge takes no publisher, so it transcodes nothing and needs no ffmpeg: it serves its origin's ladders.
    this.available = takesPublishers && config.enabled() && executableFound(config.ffmpeg(), config.apps());
    meters.gauges(this::processes, this::slowestSpeed, this::cpu);
    this.share = vertx.isClustered() ? new LadderShare(vertx) : null;
    if (share != null && available) {
      share.publishEvery(() -> running.keySet().stream()
          .flatMap(key -> variants(key).map(v -> Map.entry(key, v)).stream())
          .toList());
    }
    this.onDemand = available && config.onDemand()
        ? new OnDemandTranscoders(vertx, registry, this, config.linger().toMillis()) : null;
    if (onDemand != null) {
      registry.upstream(onDemand);
    }
    if (available) {
      registry.onLive(this::wentLive);
      LOG.info("transcode: apps {} get {} with {}", config.apps(), config.ladder(), config.ffmpeg());
    }
  }

  /** Whether the ffmpeg executable is there: a path, or a name on the PATH. At start-up, not on an event loop. */
  private static boolean executableFound(String ffmpeg, String apps) {
    List<java.nio.file.Path> candidates = new ArrayList<>();
    if (ffmpeg.contains("/")) {
      candidates.add(java.nio.file.Path.of(ffmpeg));
    } else {
      String path = System.getenv().getOrDefault("PATH", "");
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          candidates.add(java.nio.file.Path.of(dir, ffmpeg));
        }
      }
    }
    boolean found = candidates.stream().anyMatch(p -> java.nio.file.Files.isRegularFile(p)
        && java.nio.file.Files.isExecutable(p));
    if (!found) {
      LOG.error("transcode: the ffmpeg executable \"{}\" (transcode.ffmpeg) is not {}; apps {} play their source"
          + " only, with no ladder", ffmpeg, ffmpeg.contains("/") ? "an executable file" : "on the PATH", apps);
    }
    return found;
  }

  TranscodeConfig config() {
    return config;
  }

  /** Every transcoder now, in app and key order; a snapshot from any thread. */
  public List<TranscodeState> states() {
    return running.values().stream()
        .map(entry -> entry.transcoder().snapshot())
        .sorted(Comparator.comparing(TranscodeState::app).thenComparing(TranscodeState::key))
        .toList();
  }

  /** The other members of {@code key}'s ladder, by configuration ({@link LadderSiblings}); from any thread. */
  public List<StreamKey> siblings(StreamKey key) {
    return LadderSiblings.of(key, sourceOf(key).orElse(key), config, ladder);
  }

  /** The source stream of {@code key} when it names a rendition of a transcoded app; else empty. */
  public Optional<StreamKey> sourceOf(StreamKey key) {
    if (!config.transcodes(key.app())) {
      return Optional.empty();
    }
    for (Rendition r : ladder) {
      String suffix = "_" + r.name();
      if (key.name().endsWith(suffix) && key.name().length() > suffix.length()) {
        return Optional.of(new StreamKey(key.app(), key.name().substring(0, key.name().length() - suffix.length())));
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<AuthDecision> decide(AuthRequest request) {
    if (request.action() != AuthAction.PUBLISH) {
      return Optional.empty();
    }
    Optional<StreamKey> source = sourceOf(request.key());
    if (source.isEmpty()) {
      return Optional.empty();
    }
    Entry entry = running.get(source.get());
    String token;
    try {
      token = QueryArgs.first(QueryArgs.parse(request.query()), TOKEN_ARG).orElse("");
    } catch (IllegalArgumentException e) {
      token = "";
    }
    boolean allowed = entry != null && local(request.addr()) && entry.transcoder().admit(request.key().name(), token);
    return Optional.of(allowed ? AuthDecision.ALLOW : AuthDecision.refuse(
        "the name of a rendition of " + source.get() + ", which only its transcoder publishes"));
  }

  /**
   * Whether a connection from {@code addr} comes from this machine: a loopback address, or the address the
   * transcoders connect to, which is this node's own when {@code rtmp.host} names one interface. The
   * client's address is an IP literal, which is parsed, never looked up.
   */
  private boolean local(String addr) {
    try {
      InetAddress from = InetAddress.getByName(addr);
      return from.isLoopbackAddress() || from.equals(rtmpAddress);
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  private static InetAddress resolve(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  /** The ffmpeg command of {@code key}'s transcoder, publishing back with {@code token}. */
  List<String> command(StreamKey key, String token) {
    List<String> urls = ladder.stream()
        .map(r -> "rtmp://" + rtmpHost + ":" + rtmpPort.getAsInt() + "/" + key.app() + "/" + r.streamName(key.name())
            + "?" + TOKEN_ARG + "=" + token)
        .toList();
    return FfmpegCommand.of(config.ffmpeg(), ladder, urls, config.encoder(), config.encoderArgList());
  }

  /** On the stream's home context. */
  private void wentLive(StreamKey key) {
    if (onDemand == null) {
      start(key);
    }
  }

  /** Starts {@code key}'s transcoder unless it has one or max-processes run. Any thread. */
  void start(StreamKey key) {
    if (!config.transcodes(key.app()) || sourceOf(key).isPresent()) {
      return;
    }
    Context context = ((VertxInternal) vertx).createEventLoopContext();
    Transcoder[] made = new Transcoder[1];
    boolean[] refused = new boolean[1];
    running.compute(key, (k, old) -> {
      if (old != null && !old.transcoder().stopped()) {
        return old;
      }
      if (processes() >= config.maxProcesses()) {
        refused[0] = true;
        return old;
      }
      made[0] = new Transcoder(vertx, context, key, this);
      return new Entry(made[0], new CopyOnWriteArrayList<>());
    });
    if (refused[0]) {
      meters.refused();
      LOG.warn("transcode {}: not transcoded, transcode.max-processes ({}) are running; it plays its source only",
          key, config.maxProcesses());
      return;
    }
    if (made[0] == null) {
      return;
    }
    Transcoder transcoder = made[0];
    Entry entry = running.get(key);
    context.runOnContext(v -> {
      transcoder.start(registry.subscribe(key, transcoder));
      for (Rendition r : ladder) {
        RenditionWatch watch = new RenditionWatch(context, transcoder::renditionKeyframe);
        watch.start(registry.subscribe(new StreamKey(key.app(), r.streamName(key.name())), watch));
        entry.watches().add(watch);
      }
    });
  }

  /** A token for one ffmpeg process of a transcoder: 128 random bits. */
  static String newToken() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** A transcoder stopped for good (on its context): its watches end, and it leaves the map. */
  void stopped(Transcoder transcoder) {
    Entry entry = running.get(transcoder.key());
    if (entry != null && entry.transcoder() == transcoder) {
      entry.watches().forEach(RenditionWatch::cancel);
      running.remove(transcoder.key(), entry);
    }
    // A new session that went live while this one stopped found it still there: it gets its own now.
    if (registry.isLive(transcoder.key()) && !running.containsKey(transcoder.key())) {
      wentLive(transcoder.key());
    }
  }

  /** Whether {@code source} has a transcoder that has not stopped. Any thread. */
  boolean running(StreamKey source) {
    Entry entry = running.get(source);
    return entry != null && !entry.transcoder().stopped();
  }

  List<Rendition> ladder() {
    return ladder;
  }

  /** An on-demand transcoder nobody asks for ends, on its context; the source goes on. */
  void stopIdle(StreamKey source) {
    Entry entry = running.get(source);
    if (entry != null) {
      Transcoder transcoder = entry.transcoder();
      transcoder.context().runOnContext(v -> transcoder.stop("nobody asked for it within transcode.linger"));
    }
  }

  /**
   * The node closes: every ffmpeg is ended now, since its standard input, the node's pipe, would
   * otherwise stay open as long as the JVM (a node in a test JVM). Any thread.
   */
  public void close() {
    running.values().forEach(entry -> entry.transcoder().kill());
  }

  void restarted() {
    meters.restarted();
  }

  private int processes() {
    return (int) running.values().stream().filter(e -> !e.transcoder().stopped()).count();
  }

  private double slowestSpeed() {
    return states().stream().filter(s -> s.pid() >= 0).mapToDouble(TranscodeState::speed).min().orElse(0);
  }

  private double cpu() {
    return states().stream().mapToDouble(TranscodeState::cpu).sum();
  }

  /**
   * The master playlist of {@code key} when it has a ladder: running here, or in a cluster running on its
   * origin, which shares its measured variants ({@link LadderShare}); empty otherwise, and the seed URL
   * serves the media playlist as before. {@code sourcePrefix} leads from the seed URL's directory to
   * {@code /hls/<app>/}: the source is listed as {@code <sourcePrefix><key>/<variantFile>}, each rendition as
   * {@code <sourcePrefix><key>_<name>/<variantFile>}, relative to the master's URL; {@code variantFile} is
   * the app's {@code hls.variant} by name (ll.m3u8, fmp4.m3u8, ts.m3u8). Completes on the caller's context.
   */
  public Future<Optional<String>> masterPlaylist(StreamKey key, String sourcePrefix, String variantFile) {
    if (onDemand != null && config.transcodes(key.app()) && sourceOf(key).isEmpty() && registry.isLive(key)) {
      // Asked for: started if need be, and answered once a rendition is there to list.
      return onDemand.ask(key).map(ready -> variants(key).flatMap(v -> render(key, sourcePrefix, variantFile, v)));
    }
    Optional<List<LadderShare.Variant>> local = variants(key);
    if (local.isPresent()) {
      return Future.succeededFuture(render(key, sourcePrefix, variantFile, local.get()));
    }
    // In a cluster, the origin's ladder; an edge may pull the source itself too, for its own viewers.
    if (share == null || !config.transcodes(key.app()) || sourceOf(key).isPresent()) {
      return Future.succeededFuture(Optional.empty());
    }
    return share.get(key).map(shared -> shared.flatMap(variants -> render(key, sourcePrefix, variantFile,
        variants.stream().filter(v -> v.name().isEmpty()
            || registry.isAvailable(new StreamKey(key.app(), key.name() + "_" + v.name()))).toList())));
  }

  /**
   * The live renditions of {@code key}'s ladder running on this node, as stream keys ({@code <key>_<name>}); empty
   * when no transcoder runs here for it.
   */
  public List<StreamKey> renditionsOf(StreamKey key) {
    return variants(key).map(variants -> variants.stream().filter(v -> !v.name().isEmpty())
        .map(v -> new StreamKey(key.app(), key.name() + "_" + v.name())).toList()).orElse(List.of());
  }

  /** The measured variants of {@code key}'s ladder running here, the source's name "", live renditions only. */
  Optional<List<LadderShare.Variant>> variants(StreamKey key) {
    Entry entry = running.get(key);
    if (entry == null || entry.transcoder().stopped()) {
      return Optional.empty();
    }
    List<LadderShare.Variant> variants = new ArrayList<>();
    if (config.keepSource()) {
      VariantMeter.Reading source = entry.transcoder().source();
      variants.add(new LadderShare.Variant("", source.peakBps(), source.averageBps(), source.width(), source.height(),
          source.fps(), source.codecs()));
    }
    List<RenditionWatch> watches = List.copyOf(entry.watches());
    for (int i = 0; i < watches.size() && i < ladder.size(); i++) {
      RenditionWatch watch = watches.get(i);
      if (!watch.live()) {
        continue;
      }
      Rendition r = ladder.get(i);
      VariantMeter.Reading reading = watch.reading();
      // Until two keyframes have passed, the ladder's own figures: the video rate plus the container's share.
      long configured = (long) (r.kbps() * 1000L * VariantMeter.CONTAINER_MARGIN);
      variants.add(new LadderShare.Variant(r.name(), reading.measured() ? reading.peakBps() : configured,
          reading.measured() ? reading.averageBps() : 0,
          reading.width() > 0 ? reading.width() : r.width(), reading.height() > 0 ? reading.height() : r.height(),
          reading.fps(), reading.codecs()));
    }
    return Optional.of(variants);
  }

  static Optional<String> render(StreamKey key, String sourcePrefix, String variantFile,
      List<LadderShare.Variant> variants) {
    if (variants.isEmpty()) {
      return Optional.empty();
    }
    List<MasterPlaylist.Variant> listed = new ArrayList<>();
    for (LadderShare.Variant v : variants) {
      // Every variant in the same container, the app's hls.variant: hls.js cannot switch between MPEG-TS
      // and fMP4 levels (its SourceBuffer goes). CODECS is the same for both.
      String uri = sourcePrefix + key.name() + (v.name().isEmpty() ? "" : "_" + v.name()) + "/" + variantFile;
      listed.add(new MasterPlaylist.Variant(uri, v.bandwidth(), v.averageBandwidth(), v.width(), v.height(), v.fps(),
          v.codecs()));
    }
    listed.sort(Comparator.comparingLong(MasterPlaylist.Variant::bandwidth).reversed());
    return Optional.of(MasterPlaylist.of(listed));
  }
}
