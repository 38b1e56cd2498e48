package dev.streamedge.metrics;

import dev.streamedge.session.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The meters of one node: Vert.x's and the JVM's, registered by vertx-micrometer-metrics, and
 * streamedge's own, in one Prometheus registry per node. Every meter with a label has a fixed set of
 * label values (the protocols, the refusal reasons), resolved here once; none is per stream or per
 * client, so the number of series does not grow with the load.
 *
 * <p>With {@code metrics.enabled: false} the meters are registered in an empty composite registry,
 * where they do nothing, and Vert.x runs without metrics.
 */
public final class Metrics {

  static final String PROTOCOL = "protocol";
  /**
   * vertx-micrometer keeps registries in a JVM-wide map by name: each node needs its own name, or a
   * second node in one JVM (the tests) would report into the first one's registry.
   */
  private static final AtomicInteger REGISTRY_NAMES = new AtomicInteger();

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  private final Map<Protocol, PlayerMeters> players = new EnumMap<>(Protocol.class);
  private final Map<Protocol, PublisherMeters> publishers = new EnumMap<>(Protocol.class);
  private final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
  private final HlsMeters hls;
  private final Map<String, RelayMeters> relays = new ConcurrentHashMap<>();
  private final Map<String, PullMeters> pulls = new ConcurrentHashMap<>();
  private final RecordMeters record;
  private final TranscodeMeters transcode;
  private final ExecMeters exec;
  private final ThumbnailMeters thumbnails;
  private final SrtMeters srt;
  private final HlsSessionMeters hlsSessions;
  private final HlsSessionMeters dashSessions;

  private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
    for (Protocol protocol : Protocol.streaming()) {
      players.put(protocol, new PlayerMeters(registry, protocol, sentBytes(protocol)));
    }
    for (Protocol protocol : Protocol.publishing()) {
      publishers.put(protocol, new PublisherMeters(registry, protocol));
    }
    hls = new HlsMeters(registry, sentBytes(Protocol.HLS));
    record = new RecordMeters(registry);
    transcode = new TranscodeMeters(registry);
    exec = new ExecMeters(registry);
    thumbnails = new ThumbnailMeters(registry);
    srt = new SrtMeters(registry);
    hlsSessions = new HlsSessionMeters(registry, Protocol.HLS);
    dashSessions = new HlsSessionMeters(registry, Protocol.DASH);
    for (Refusal reason : Refusal.values()) {
      refused.put(reason, Counter.builder("streamedge.connections.refused")
          .description("Connections and requests refused or cut, by reason: a configured limit, authentication,"
              + " a client too slow or idle too long, or a takeover the publish rules do not allow")
          .tag("reason", reason.label())
          .register(registry));
    }
  }

  /** Meters served in Prometheus format. */
  public static Metrics prometheus() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new Metrics(prometheus, prometheus);
  }

  /** Meters that measure nothing, for {@code metrics.enabled: false}. */
  public static Metrics disabled() {
    return new Metrics(new CompositeMeterRegistry(), null);
  }

  public boolean enabled() {
    return prometheus != null;
  }

  /**
   * A Vert.x builder for {@code options} that reports Vert.x's meters (HTTP, TCP, event bus, pools)
   * and the JVM's (memory, GC, threads) into this node's registry, when metrics are enabled. Sets the
   * metrics options of {@code options}.
   */
  public VertxBuilder vertxBuilder(VertxOptions options) {
    if (prometheus == null) {
      return Vertx.builder().with(options);
    }
    // Vert.x's default labels, plus the local address: it tells the listeners apart (RTMP from RTMPS,
    // media HTTP from the metrics port) and is bounded by their number. Remote addresses and paths are
    // not labels: one series per client would grow without bound.
    EnumSet<Label> labels = EnumSet.copyOf(MicrometerMetricsOptions.DEFAULT_LABELS);
    labels.add(Label.LOCAL);
    options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setLabels(labels)
        .setJvmMetricsEnabled(true)
        .setRegistryName("streamedge-" + REGISTRY_NAMES.incrementAndGet())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(prometheus);
    return Vertx.builder().with(options)
        .withMetrics(vertxOptions -> new NodeVertxMetrics(micrometer.metrics(vertxOptions), prometheus));
  }

  /** The Prometheus text of every meter; empty when metrics are disabled. */
  public Optional<String> scrape() {
    return prometheus == null ? Optional.empty() : Optional.of(prometheus.scrape());
  }

  /** The meters of a protocol whose players hold a connection: RTMP, RTMPS, HTTP-FLV or WebSocket-FLV. */
  public PlayerMeters player(Protocol protocol) {
    PlayerMeters meters = players.get(protocol);
    if (meters == null) {
      throw new IllegalArgumentException(protocol + " has no players that hold a connection");
    }
    return meters;
  }

  /** The meters of a protocol publishers use: RTMP or RTMPS. */
  public PublisherMeters publisher(Protocol protocol) {
    PublisherMeters meters = publishers.get(protocol);
    if (meters == null) {
      throw new IllegalArgumentException(protocol + " has no publishers");
    }
    return meters;
  }

  public HlsMeters hls() {
    return hls;
  }

  /** The meters HLS sessions report to. */
  public HlsSessionMeters hlsSessions() {
    return hlsSessions;
  }

  public HlsSessionMeters dashSessions() {
    return dashSessions;
  }

  /**
   * Registers the gauge of HLS or DASH ({@code protocol}) players now; {@code sessions} is read at each scrape,
   * from any thread.
   */
  public void sessionPlayers(Protocol protocol, IntSupplier sessions) {
    HlsSessionMeters.registerPlayers(registry, protocol, sessions);
  }

  public RecordMeters record() {
    return record;
  }

  public TranscodeMeters transcode() {
    return transcode;
  }

  public ThumbnailMeters thumbnails() {
    return thumbnails;
  }

  public ExecMeters exec() {
    return exec;
  }

  public SrtMeters srt() {
    return srt;
  }

  /** Counts a connection or request refused for {@code reason}. Any thread. */
  public void refused(Refusal reason) {
    refused.get(reason).increment();
  }

  /** Registers the gauge of live streams; {@code live} is read at each scrape, from any thread. */
  public void liveStreams(IntSupplier live) {
    Gauge.builder("streamedge.streams.live", live::getAsInt)
        .description("Streams with a publisher on this node, its own or pulled from an origin")
        .register(registry);
  }

  /** Registers the gauge of RTSP connections; {@code open} is read at each scrape, from any thread. */
  public void rtspConnections(IntSupplier open) {
    Gauge.builder("streamedge.rtsp.connections", open::getAsInt)
        .description("RTSP connections now, playing or not, as counted against rtsp.max-connections")
        .register(registry);
  }

  /** Registers the gauge of files played on demand; {@code plays} is read at each scrape, from any thread. */
  public void vodPlays(IntSupplier plays) {
    Gauge.builder("streamedge.vod.plays", plays::getAsInt)
        .description("Files played on demand now, as counted against vod.max-sessions")
        .register(registry);
  }

  /** Registers the gauge of pulls on demand; {@code pulls} is read at each scrape, from any thread. */
  public void pullsOnDemand(IntSupplier pulls) {
    Gauge.builder("streamedge.relay.pull.on.demand", pulls::getAsInt)
        .description("Pulls on demand running now, lingering ones included (relay.pull-on-demand, on_play redirects)")
        .register(registry);
  }

  /** Registers the gauge of cluster members; {@code members} is read at each scrape, from any thread. */
  public void clusterMembers(IntSupplier members) {
    Gauge.builder("streamedge.cluster.members", members::getAsInt)
        .description("Members of the cluster this node sees, itself included")
        .register(registry);
  }

  /**
   * Registers the edge-pull meters of a node that pulls streams from origins: the gauge of pulls
   * active now ({@code active} is read at each scrape, from any thread), and the counter this returns,
   * of pulls started.
   */
  public Counter edgePulls(IntSupplier active) {
    Gauge.builder("streamedge.edge.pulls", active::getAsInt)
        .description("Streams this node pulls from their origin node now")
        .register(registry);
    return Counter.builder("streamedge.edge.pulls.started")
        .description("Pulls of a stream from its origin node that the origin accepted")
        .register(registry);
  }

  /**
   * Registers the RTMPT meters: the gauge of sessions open now ({@code sessions} is read at each scrape,
   * from any thread), and the counter this returns, of RTMPT requests (open, send, idle, close).
   */
  public Counter rtmpt(IntSupplier sessions) {
    Gauge.builder("streamedge.rtmpt.sessions", sessions::getAsInt)
        .description("RTMPT (RTMP over HTTP) sessions open now, as counted against rtmpt.max-sessions")
        .register(registry);
    return Counter.builder("streamedge.rtmpt.requests")
        .description("RTMPT requests (open, send, idle, close): what idle sessions cost is their rate")
        .register(registry);
  }

  /**
   * The meters of push target {@code target}: one set per label, however many {@code relay.push} items
   * share it (the same server with two stream names).
   */
  public RelayMeters relay(String target) {
    return relays.computeIfAbsent(target, t -> new RelayMeters(registry, t, new AtomicInteger()));
  }

  /**
   * The meters of pulls from {@code source}, a label the config bounds (see {@link PullMeters}): one set
   * per label, shared by the pulls with that label.
   */
  public PullMeters pull(String source) {
    return pulls.computeIfAbsent(source, s -> new PullMeters(registry, s));
  }

  /** Bytes received from clients since the start, every protocol; 0 when metrics are disabled. */
  public long receivedBytes() {
    return total("streamedge.received");
  }

  /** Bytes sent to clients since the start, every protocol; 0 when metrics are disabled. */
  public long sentBytes() {
    return total("streamedge.sent");
  }

  private long total(String counter) {
    return (long) registry.find(counter).counters().stream().mapToDouble(Counter::count).sum();
  }

  private Counter sentBytes(Protocol protocol) {
    return Counter.builder("streamedge.sent")
        .baseUnit("bytes")
        .description("Bytes sent to clients, by protocol")
        .tag(PROTOCOL, protocol.label())
        .register(registry);
  }
}
