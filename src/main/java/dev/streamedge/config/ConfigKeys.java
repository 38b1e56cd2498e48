package dev.streamedge.config;

import static java.util.stream.Collectors.toMap;

import dev.streamedge.auth.AuthMode;
import dev.streamedge.auth.CallbackMethod;
import dev.streamedge.auth.DownAnswer;
import dev.streamedge.cluster.ClusterRole;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.stream.PublishPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Every configuration key with its default and bounds: the one place they are written down. The
 * command-line options, the environment variable names, the help and the defaults the records are
 * bound from are all derived from this list, so they cannot drift apart.
 */
public final class ConfigKeys {

  private static final List<ConfigKey> ALL = Stream.of(
      RtmpKeys.all().stream(),
      SrtKeys.all().stream(),
      RtspKeys.all().stream(),
      Stream.of(
      key("stream.publish-policy", "takeover",
          Rule.oneOf(Arrays.stream(PublishPolicy.values()).map(PublishPolicy::configName).toList()),
          "A second publisher for a live stream: takeover disconnects the first, reject refuses the second"),
      key("stream.takeover-after", "5s", Rule.duration(Duration.ZERO, Duration.ofHours(1)),
          "Under takeover, how long a publisher must have sent nothing before another may take its key;"
              + " one presenting the same auth credential may at once"),
      key("stream.max-takeovers-per-minute", "6", Rule.integer(1, 1000),
          "Under takeover, the most times one key may change hands within a minute"),
      key("stream.gop-cache.max-bytes", "16MiB", Rule.byteSize(new ByteSize(0), ByteSize.ofGiB(1)),
          "Bytes of the latest GOP kept per stream so new players start at once; 0 turns the cache off"),
      key("stream.gop-cache.max-frames", "1024", Rule.integer(1, 100_000),
          "Most frames kept in a stream's GOP cache"),
      key("player.queue-max-bytes", "4MiB", Rule.byteSize(ByteSize.ofKiB(64), ByteSize.ofGiB(1)),
          "Bound on the bytes queued for one player"),
      key("player.queue-max-delay", "3s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(1)),
          "How far behind live a player's queue may reach before it skips to the next keyframe"),
      key("player.max-behind", "10s", Rule.duration(Duration.ofSeconds(1), Duration.ofMinutes(10)),
          "How long a player may stay behind before it is disconnected"),
      key("player.socket-write-buffer", "256KiB", Rule.byteSize(ByteSize.ofKiB(16), ByteSize.ofMiB(64)),
          "Bytes in the socket's own write queue before the player queue takes over"),
      key("player.socket-send-buffer", "1MiB", Rule.byteSize(ByteSize.ofKiB(16), ByteSize.ofMiB(64)),
          "Kernel send buffer (SO_SNDBUF) of a player's socket: on NIO, what it holds is lag the server cannot see"),
      key("player.merge-write", "0ms", Rule.duration(Duration.ZERO, Duration.ofSeconds(1)),
          "How long a player's media may wait to be merged into one kernel write; 0 writes at the end of"
              + " each event-loop turn"),
      key("player.max-added-latency", "20ms", Rule.duration(Duration.ZERO, Duration.ofSeconds(1)),
          "Longest a busy event loop may hold a player's media to merge writes; a quiet one holds none;"
              + " 0 turns it off"),
      key("player.quiet-write-rate", "40000", Rule.integer(100, 10_000_000),
          "Writes per second per event loop, as its players would cost unmerged, under which the loop"
              + " counts as quiet for player.max-added-latency"),
      key("player.flv-republish-wait", "0s", Rule.duration(Duration.ZERO, Duration.ofMinutes(1)),
          "How long an HTTP-FLV or WebSocket-FLV stream stays open after its publisher left, for one that"
              + " comes back on the key; 0 ends it at once"),
      key("http.host", "0.0.0.0", Rule.host(),
          "Address the HTTP listener (HLS, HTTP-FLV, WebSocket-FLV) binds to"),
      key("http.port", "8080", Rule.integer(1, 65535),
          "TCP port of the HTTP listener"),
      key("http.max-connections", "10000", Rule.integer(1, 1_000_000),
          "Most HTTP connections open at once; further ones are closed at once"),
      key("http.max-connections-per-address", "0", Rule.integer(0, 1_000_000),
          "Most HTTP connections one client address may hold at once; further ones are closed at once; 0 for no"
              + " such limit (clients behind one proxy or NAT share an address)"),
      key("http.header-timeout", "10s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
          "Time a client has to send a whole request head, from connecting or from the first byte of its next"
              + " request; then it gets a 408 and the connection is closed"),
      key("http.body-timeout", "10s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
          "Time a client has to send the body of a request once its head arrived; then the connection is closed"),
      key("http.idle-timeout", "30s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
          "A kept-alive connection with no request in flight is closed after this long; one whose response is still"
              + " being sent never is"),
      key("http.cors-origin", "*", Rule.headerValue(),
          "Access-Control-Allow-Origin sent with HLS and FLV responses; \"\" sends none"),
      key("http.proxy-protocol", "false", Rule.bool(),
          "Each connection to the HTTP and HTTPS ports and rtmpt.ports starts with a PROXY protocol header (v1 or"
              + " v2) whose client address the node uses; one without is closed"),
      key("http.tls.port", "8443", Rule.integer(1, 65535),
          "TCP port of the HTTPS listener, which serves what http.port does over TLS (HLS, FLV, RTMPTS, the API)"),
      key("http.tls.cert", "", Rule.optionalReadableFile(),
          "PEM certificate chain; HTTPS (and RTMPTS) is on when cert and key are both set"),
      key("http.tls.key", "", Rule.optionalReadableFile(),
          "PEM private key of the certificate in http.tls.cert"),
      key("http.tls.versions", "TLSv1.2,TLSv1.3", Rule.oneOf(List.of("TLSv1.2,TLSv1.3", "TLSv1.2", "TLSv1.3")),
          "TLS versions HTTPS offers; TLSv1.2 alone for librtmp clients of rtmpts:// (rtmpdump), which fail against TLS 1.3"),
      key("http.tls.engine", "openssl", Rule.oneOf(List.of("openssl", "jdk")),
          "TLS engine of HTTPS: openssl (Netty's on BoringSSL, bundled; the JDK's if it cannot load here) or jdk"),
      key("metrics.enabled", "true", Rule.bool(),
          "Collect Vert.x, JVM and streamedge meters and serve them in Prometheus format on /metrics"),
      key("metrics.port", "8081", Rule.integer(0, 65535),
          "TCP port of the operations listener (on http.host) for /metrics and /health/*, which media clients cannot"
              + " crowd out; 0 serves /metrics on http.port instead"),
      key("metrics.max-connections", "32", Rule.integer(1, 10_000),
          "Most connections the metrics.port listener holds at once (probes, scrapes); further ones are closed at once"),
      key("hls.target-duration", "2s", Rule.duration(Duration.ofSeconds(1), Duration.ofSeconds(30)),
          "HLS segments are cut at the first keyframe after this much media"),
      key("hls.playlist-length", "6", Rule.integer(2, 60),
          "Segments listed in a live HLS playlist"),
      key("hls.kept-segments", "3", Rule.integer(0, 60),
          "Segments still served after they left the playlist, for players that are behind"),
      key("hls.max-segment-size", "32MiB", Rule.byteSize(ByteSize.ofKiB(64), ByteSize.ofGiB(1)),
          "A segment is cut when it reaches this size, whatever its duration"),
      key("hls.on-demand-apps", "", Rule.appList(),
          "Apps whose HLS is packaged only while requested (comma-separated, * for all); others from publish"),
      key("hls.idle-timeout", "30s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
          "On-demand HLS stops after no request for this long; any HLS stops this long after its publisher left"),
      key("hls.first-segment-wait", "6s", Rule.offOrDuration(Duration.ofMillis(100), Duration.ofMinutes(1)),
          "A playlist request for a stream whose first segment is not ready waits this long before a 404"),
      key("hls.part-target", "200ms", Rule.duration(Duration.ofMillis(100), Duration.ofSeconds(1)),
          "LL-HLS parts are cut before the frame that would make them longer than this (EXT-X-PART-INF)"),
      key("hls.max-blocked-requests", "10000", Rule.integer(1, 1_000_000),
          "Most LL-HLS requests (blocking playlist reloads, preload-hint parts) the node holds waiting; 503 beyond"),
      key("hls.variant", "low-latency", Rule.hlsVariants(),
          "What /hls/<key>.m3u8 and /hls/<app>/<key>.m3u8 serve: low-latency, fmp4 or mpegts, for every app or"
              + " as app=variant items (* for the others); each variant also has its own URL"),
      key("hls.segment-files", "/dev/shm", Rule.optionalPath(),
          "Directory (a tmpfs) each MPEG-TS segment is written to once, so that every request for it is sent with"
              + " sendfile(2) instead of copied; \"\" sends from memory, as a directory that is not writable does"),
      key("hls.dash", "true", Rule.bool(),
          "Serve every HLS stream as MPEG-DASH too, from the same segments (/dash/<key>.mpd, /dash/<app>/<key>.mpd),"
              + " each track alone as DASH players want it"),
      key("hls.keys", "", Rule.appList(),
          "Apps whose HLS is encrypted with AES-128 (nginx-rtmp's hls_keys; comma-separated, * for all): their MPEG-TS"
              + " segments, with keys at /hls/<app>/<key>/key-<id>.key behind the same play auth; MPEG-TS only, so"
              + " their hls.variant must be mpegts, and their fMP4, LL-HLS and DASH forms are not served"),
      key("hls.fragments-per-key", "0", Rule.integer(0, 1_000_000),
          "Segments encrypted with one key before the next (nginx-rtmp's hls_fragments_per_key); 0: one key each"
              + " time a stream's HLS starts"),
      key("hls-sessions.enabled", "true", Rule.bool(),
          "Count HLS viewers as sessions: a player is one while it requests within hls-sessions.timeout"),
      key("hls-sessions.max", "10000", Rule.integer(1, 1_000_000),
          "Most HLS sessions counted at once; players past them are not counted (and the miss is)"),
      key("hls-sessions.timeout", "10s", Rule.duration(Duration.ofSeconds(2), Duration.ofMinutes(10)),
          "An HLS session ends when its player made no request for this long; at least twice hls.target-duration"),
      key("record.apps", "", Rule.appList(),
          "Apps whose publish sessions are recorded to files (comma-separated, * for all); \"\" records nothing"),
      key("record.path", "recordings", Rule.path(),
          "Directory the recordings go to, one subdirectory per app; created when needed"),
      key("record.format", "flv", Rule.oneOf(List.of("flv", "fmp4")),
          "File format of the recordings: flv, or fmp4 (fragmented MP4, .mp4 files)"),
      key("record.max-duration", "0", Rule.offOrDuration(Duration.ofSeconds(1), Duration.ofDays(7)),
          "A recording goes on in a new file at the first keyframe after this much media; 0 for no limit"),
      key("record.max-size", "0", Rule.byteSize(new ByteSize(0), ByteSize.ofGiB(1024)),
          "A recording goes on in a new file at the first keyframe after this many bytes; 0 for no limit"),
      key("record.keep", "0", Rule.offOrDuration(Duration.ofMinutes(1), Duration.ofDays(3650)),
          "Recordings last written longer ago than this are deleted; 0 keeps them all"),
      key("record.on-record-done", "", Rule.optionalHttpUrl(),
          "URL told by POST (nginx-rtmp's call=record_done form) when a recording file is complete"),
      key("record.max-queued", "8MiB", Rule.byteSize(ByteSize.ofKiB(64), ByteSize.ofGiB(1)),
          "Bytes of one recording waiting for the disk; a disk that falls further behind stops the recording"),
      key("vod.apps", "", Rule.vodApps(),
          "Apps whose plays are FLV or MP4 files on demand, nginx-rtmp's play directive: app=directory items"
              + " separated by semicolons; \"\" for none"),
      key("vod.max-sessions", "1000", Rule.integer(1, 100_000),
          "Files played on demand at once on the node; a play beyond them is refused"),
      key("vod.max-index-size", "32MiB", Rule.byteSize(ByteSize.ofKiB(64), ByteSize.ofGiB(1)),
          "Largest MP4 index (moov box) a play of a file holds in memory; a file with a larger one is refused")),
      TranscodeKeys.all().stream(),
      Stream.of(
      key("cluster.enabled", "false", Rule.bool(),
          "Join a cluster of streamedge nodes (--cluster is short for --cluster.enabled=true)"),
      key("cluster.host", "", Rule.optionalHost(),
          "Address of the interface the cluster member binds to and announces; \"\" picks one"),
      key("cluster.port", "5701", Rule.integer(1, 65535),
          "TCP port of the cluster member (Hazelcast), the port other nodes list in cluster.members"),
      key("cluster.members", "", Rule.memberList(),
          "Join by TCP: the other members as host:port, comma-separated"),
      key("cluster.multicast", "false", Rule.bool(),
          "Join by multicast on the local network"),
      key("cluster.kubernetes.service-dns", "", Rule.optionalHost(),
          "Join in Kubernetes: DNS name of the headless Service that selects the nodes"),
      key("cluster.eventbus.host", "", Rule.optionalHost(),
          "Address the event bus between nodes binds to; \"\" uses the cluster member's address"),
      key("cluster.eventbus.port", "0", Rule.integer(0, 65535),
          "TCP port of the event bus between nodes; 0 picks a free one"),
      key("cluster.eventbus.public-host", "", Rule.optionalHost(),
          "Event-bus address other nodes connect to, behind NAT or in Kubernetes; \"\" is cluster.eventbus.host"),
      key("cluster.eventbus.public-port", "0", Rule.integer(0, 65535),
          "Event-bus port other nodes connect to; 0 is cluster.eventbus.port"),
      key("cluster.heartbeat", "1s", Rule.wholeSeconds(Duration.ofSeconds(1), Duration.ofMinutes(1)),
          "How often cluster members send heartbeats"),
      key("cluster.max-no-heartbeat", "5s", Rule.wholeSeconds(Duration.ofSeconds(2), Duration.ofMinutes(10)),
          "A member silent for this long is dead: its streams leave the directory"),
      key("cluster.join-timeout", "5s", Rule.wholeSeconds(Duration.ofSeconds(1), Duration.ofMinutes(1)),
          "How long a starting node asks the listed members for a master before it claims the role itself"),
      key("cluster.role", "both",
          Rule.oneOf(Arrays.stream(ClusterRole.values()).map(ClusterRole::configName).toList()),
          "origin takes publishers only, edge pulls streams for its viewers only, both does both"),
      key("cluster.pull-linger", "10s", Rule.duration(Duration.ZERO, Duration.ofHours(1)),
          "How long an edge keeps pulling a stream from its origin after its last local viewer left"),
      key("cluster.link-window", "4MiB", Rule.byteSize(ByteSize.ofKiB(256), ByteSize.ofGiB(1)),
          "Bytes of one stream an origin sends one edge node ahead of its acknowledgements (the heap it may hold)"),
      key("auth.publish", "", Rule.authRules(AuthMode.PUBLISH_MODES),
          "Who may publish, per app: app=mode items, * for the other apps; \"\" lets anyone publish"),
      key("auth.play", "", Rule.authRules(AuthMode.PLAY_MODES),
          "Who may play over RTMP, HLS, HTTP-FLV and WebSocket-FLV, per app: app=mode items, * for the other apps"),
      key("auth.publish-access", "", Rule.addressRules(),
          "Which addresses may publish, nginx-rtmp's allow/deny publish lines: e.g. allow 127.0.0.1, allow 10.0.0.0/8,"
              + " deny all; the first match decides, no match allows; before any app's mode. Per app, as in an"
              + " application block: live=allow 10.0.0.0/8, deny all; *=<the other apps' items>"),
      key("auth.play-access", "", Rule.addressRules(),
          "Which addresses may play over every protocol, nginx-rtmp's allow/deny play lines, as auth.publish-access"),
      key("auth.publish-keys", "", Rule.keyList(),
          "Keys mode keys accepts, comma-separated: publishers add ?key=<one of them> to the stream name"),
      key("auth.publish-secret", "", Rule.secret(),
          "HMAC-SHA256 secret of signed publish URLs (mode sign); set it by environment variable"),
      key("auth.play-secret", "", Rule.secret(),
          "HMAC-SHA256 secret of signed play URLs (mode sign); must differ from auth.publish-secret"),
      key("auth.callback.on-publish", "", Rule.optionalHttpUrl(),
          "URL asked by POST before a publish of an app in mode callback; 2xx allows it"),
      key("auth.callback.on-play", "", Rule.optionalHttpUrl(),
          "URL asked by POST before a play (RTMP, FLV, each HLS request) of an app in mode callback; 2xx allows it"),
      key("auth.callback.on-publish-done", "", Rule.optionalHttpUrl(),
          "URL told by POST when a publish ends"),
      key("auth.callback.on-play-done", "", Rule.optionalHttpUrl(),
          "URL told by POST when an RTMP or FLV play ends"),
      key("auth.callback.on-done", "", Rule.optionalHttpUrl(),
          "URL told by POST when a publish or an RTMP or FLV play ends"),
      key("auth.callback.on-connect", "", Rule.optionalHttpUrl(),
          "URL asked by POST (call=connect) before each RTMP connect is answered, for every app; 2xx allows it,"
              + " 3xx with an app name in Location connects to that app"),
      key("auth.callback.on-disconnect", "", Rule.optionalHttpUrl(),
          "URL told (call=disconnect) when an RTMP connection that sent connect closes"),
      key("auth.callback.on-update", "", Rule.optionalHttpUrl(),
          "URL asked by POST every auth.callback.update-interval during each RTMP publish and RTMP or FLV play;"
              + " an answer other than 2xx ends it (nginx-rtmp's on_update)"),
      key("auth.callback.update-interval", "30s", Rule.duration(Duration.ofSeconds(1), Duration.ofHours(1)),
          "How often auth.callback.on-update is asked about each publish and play"),
      key("auth.callback.timeout", "3s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(1)),
          "A callback not answered within this time counts as down"),
      key("auth.callback.when-down", "deny",
          Rule.oneOf(Arrays.stream(DownAnswer.values()).map(DownAnswer::configName).toList()),
          "The answer when the auth service is down, too slow or has auth.callback.max-in-flight calls open"),
      key("auth.callback.method", "post",
          Rule.oneOf(Arrays.stream(CallbackMethod.values()).map(CallbackMethod::configName).toList()),
          "How every callback sends its form: a form-encoded POST body, or a GET's query (nginx-rtmp's notify_method)"),
      key("auth.callback.cache-ttl", "10s", Rule.duration(Duration.ZERO, Duration.ofHours(1)),
          "How long an answer is reused for the same request (call, app, name, address, query); 0 for never"),
      key("auth.callback.cache-size", "10000", Rule.integer(1, 1_000_000),
          "Most callback answers kept; the least recently used go first"),
      key("auth.callback.max-in-flight", "100", Rule.integer(1, 10_000),
          "Most callback requests open at once; beyond them a check gets the when-down answer, an event is dropped"),
      key("relay.push", "", Rule.pushTargets(),
          "Push relays: app=URL items, * for every app, {app} and {key} in the URL; each stream published on"
              + " the app is pushed there over RTMP, RTMPS, RTMPE or RTMPT(S/E)"),
      key("relay.push-queue-max-bytes", "8MiB", Rule.byteSize(ByteSize.ofKiB(64), ByteSize.ofGiB(1)),
          "Bytes queued for one push target before it skips to the next keyframe, as a slow player does"),
      key("relay.pull", "", Rule.pullSources(),
          "Pull relays: app/key=URL items; each stream of this node is played from its URL from the start, over"
              + " RTMP, RTMPS, RTMPE, RTMPT(S/E) or HTTP-FLV"),
      key("relay.pull-on-demand", "", Rule.pullTemplates(),
          "On-demand pulls: app=URL items, {app} and {key} in the URL; a stream of the app that a viewer asks"
              + " for and nobody publishes here is played from its URL while it has viewers"),
      key("relay.pull-on-demand-max", "100", Rule.integer(1, 100_000),
          "Most on-demand pulls at once; a viewer past them waits for a publisher, as for any idle stream"),
      key("relay.pull-linger", "10s", Rule.duration(Duration.ZERO, Duration.ofHours(1)),
          "How long an on-demand pull goes on after its last viewer left"),
      key("relay.reconnect-min", "1s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(1)),
          "First wait before a relay's server that dropped or refused is tried again; doubled per failure"),
      key("relay.reconnect-max", "30s", Rule.duration(Duration.ofMillis(100), Duration.ofHours(1)),
          "Longest wait between two tries of a relay's server"),
      key("relay.connect-timeout", "10s", Rule.duration(Duration.ofMillis(100), Duration.ofMinutes(10)),
          "A relay connection that has not reached NetStream.Publish.Start within this time is dropped and tried"
              + " again"),
      key("relay.tls-fingerprints", "", Rule.fingerprints(),
          "SHA-256 fingerprints of certificates a relay's TLS server may show (a camera's self-signed one) and be"
              + " trusted, whatever signed it and whatever host it names; any other is checked against the JVM's"
              + " authorities and the host name"),
      key("api.enabled", "true", Rule.bool(),
          "Serve the HTTP API (/api/v1: streams, clients, kicks) on http.port"),
      key("api.token", "", Rule.secret(),
          "Bearer token the API asks for; \"\" answers only clients on loopback; set it by environment variable"),
      key("ui.enabled", "true", Rule.bool(),
          "Serve the web dashboard at / and /ui/ on http.port, under the API's access rules (needs api.enabled)"),
      key("ui.max-subscribers", "16", Rule.integer(1, 1000),
          "Most dashboards fed live at once, over all clients; further ones get 503"),
      key("ui.push-interval", "1s", Rule.duration(Duration.ofMillis(250), Duration.ofMinutes(1)),
          "How often the node pushes a snapshot of its streams, clients and cluster to every open dashboard"),
      key("ui.max-streams", "100", Rule.integer(1, 10_000),
          "Most streams in a dashboard snapshot, those with the most viewers first; the API lists them all"),
      key("ui.max-clients", "200", Rule.integer(1, 100_000),
          "Most clients in a dashboard snapshot, publishers first; the API lists them all")),
      ThumbnailKeys.all().stream(),
      Stream.of(
      key("shutdown.drain-time", "20s", Rule.duration(Duration.ZERO, Duration.ofMinutes(10)),
          "On SIGTERM, how long publishers may go on while players move to other nodes, before all closes"),
      key("node.event-loops", "0", Rule.integer(0, 1024),
          "Event-loop threads that serve every connection; 0 is one per core the JVM may use"),
      key("node.transport", "epoll", Rule.oneOf(List.of("epoll", "io_uring", "nio")),
          "Network transport: epoll or io_uring (Linux x86_64 and aarch64; NIO where it cannot load), or nio"),
      key("log.max-lines-per-second", String.valueOf(RateLimitedLog.DEFAULT_LINES_PER_SECOND),
          Rule.integer(1, 100_000),
          "Most lines of one kind (connect, disconnect, refused...) logged per second; the rest are counted"
              + " in one summary line")), ExecKeys.all().stream()).flatMap(Function.identity()).toList();

  /** Fails class initialisation if two keys ever map to one variable, e.g. {@code a.b-c} and {@code a-b.c}. */
  private static final Map<String, ConfigKey> BY_ENV_NAME =
      ALL.stream().collect(toMap(ConfigKey::envName, Function.identity()));

  private ConfigKeys() {
  }

  /** Every key, in the order of the config file and the help. */
  public static List<ConfigKey> all() {
    return ALL;
  }

  static Optional<ConfigKey> byEnvName(String envName) {
    return Optional.ofNullable(BY_ENV_NAME.get(envName));
  }

  static boolean isKey(String path) {
    return ALL.stream().anyMatch(k -> k.name().equals(path));
  }

  /** Whether the path is a section holding keys, like {@code rtmp} or {@code stream.gop-cache}. */
  static boolean isSection(String path) {
    return ALL.stream().anyMatch(k -> k.name().startsWith(path + "."));
  }

  /** The names directly inside a section ({@code ""} for the top level), in key order. */
  static List<String> childrenOf(String section) {
    String prefix = section.isEmpty() ? "" : section + ".";
    return ALL.stream()
        .map(ConfigKey::name)
        .filter(name -> name.startsWith(prefix))
        .map(name -> name.substring(prefix.length()).split("\\.", 2)[0])
        .distinct()
        .toList();
  }

  /** A key; also for the sections kept in files of their own ({@link ExecKeys}, {@link TranscodeKeys},
   * {@link SrtKeys}). */
  static ConfigKey key(String name, String defaultValue, Rule rule, String description) {
    return new ConfigKey(name, defaultValue, rule, description);
  }
}
