package dev.streamedge.hls;

import dev.streamedge.config.HlsConfig;
import dev.streamedge.metrics.HlsMeters;
import dev.streamedge.net.EventLoops;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HLS for every stream of the node, packaged in the server from the live stream, served from memory.
 * Packaging starts at publish for most apps, or at the first request for {@code hls.on-demand-apps}
 * and for streams published on another node of a cluster, and stops when idle. Each stream's packager lives on one of a few HLS contexts (chosen by key), so
 * all of one stream's HLS state is touched by one thread and muxing spreads over cores.
 */
public final class HlsService {

  private static final Logger LOG = LoggerFactory.getLogger(HlsService.class);
  private static final long CHECK_PERIOD_MS = 1000;

  private final StreamRegistry registry;
  private final HlsConfig config;
  /** {@code hls.variant} and {@code hls.keys}, read once. */
  private final HlsApps apps;
  private final HlsMeters meters;
  private final Context[] contexts;
  /** One map per HLS context, touched only on that context. */
  private final List<Map<StreamKey, HlsPackager>> packagers;
  /** LL-HLS requests parked over all streams, bounded by {@code hls.max-blocked-requests}. */
  private final AtomicInteger blocked = new AtomicInteger();
  /** Every packager's last segment and part, for the rendition reports of its ladder's siblings. */
  private final RenditionReports reports = new RenditionReports();
  /** One date-to-timestamp mapping per ladder, for EXT-X-PROGRAM-DATE-TIME. */
  private final ProgramDates dates = new ProgramDates();
  /** Every packager's last snapshot: kept parts, segments and init segments, served from any event loop. */
  private final Map<StreamKey, HlsSnapshot> snapshots = new ConcurrentHashMap<>();
  /** Which streams share a ladder: a ladder's members align their audio cuts ({@link HlsMuxer#alignAudioCuts}). */
  private volatile HlsLadder ladder = HlsLadder.NONE;
  private final SegmentFiles files;

  public HlsService(Vertx vertx, StreamRegistry registry, HlsConfig config, int contextCount, HlsMeters meters) {
    this.registry = registry;
    this.config = config;
    this.apps = new HlsApps(config);
    if (!config.keys().isEmpty()) {
      SegmentKeys.warm();
    }
    this.files = SegmentFiles.in(vertx, config.segmentFiles());
    this.meters = meters;
    meters.blockedRequests(blocked);
    this.contexts = new Context[contextCount];
    this.packagers = new ArrayList<>(contextCount);
    for (int i = 0; i < contextCount; i++) {
      Context context = vertx.getOrCreateContext();
      contexts[i] = context;
      Map<StreamKey, HlsPackager> local = new HashMap<>();
      packagers.add(local);
      context.runOnContext(v -> vertx.setPeriodic(CHECK_PERIOD_MS, id -> stopIdle(local)));
    }
    registry.onLive(key -> {
      if (!config.onDemand(key.app())) {
        onContextOf(key, local -> packagerFor(key, local, false));
      }
    });
  }

  /**
   * The live MPEG-TS or fMP4 ({@code variant}) playlist of {@code key}, with segment URIs starting with
   * {@code segmentPrefix}; empty when the stream is not live or no segment came within {@code
   * hls.first-segment-wait}. The future completes on the caller's context. The buffer is shared by
   * every request that sends it: nobody may modify it. Once the stream has segments, the playlist comes
   * from its last snapshot on the caller's own event loop: a player's reload costs no task on another
   * event loop.
   */
  public Future<Optional<Buffer>> playlist(StreamKey key, HlsVariant variant, String segmentPrefix) {
    HlsSnapshot snapshot = snapshots.get(key);
    Optional<Buffer> made = snapshot == null ? Optional.empty() : snapshot.playlist(variant, segmentPrefix);
    if (made.isPresent()) {
      return Future.succeededFuture(made);
    }
    return whenPackaged(key, packager -> packager.playlist(segmentPrefix, variant));
  }

  /**
   * The MPEG-DASH MPD of {@code key} as {@link dev.streamedge.dash.Manifest#render} writes it (without its
   * closing, which carries the clock of each response), segment URLs starting with {@code segmentPrefix};
   * empty as {@link #playlist} is, and when {@code hls.dash} is off. Served from the last snapshot as
   * playlists are; the buffer is shared: nobody may modify it.
   */
  public Future<Optional<Buffer>> manifest(StreamKey key, String segmentPrefix) {
    if (!config.dash()) {
      return Future.succeededFuture(Optional.empty());
    }
    HlsSnapshot snapshot = snapshots.get(key);
    Optional<Buffer> made = snapshot == null ? Optional.empty() : snapshot.manifest(segmentPrefix);
    if (made.isPresent()) {
      return Future.succeededFuture(made);
    }
    return whenPackaged(key, packager -> packager.manifest(segmentPrefix));
  }

  /**
   * The MPEG-DASH MPD of {@code key} and its ladder's {@code renditions} (streams of this node, packaged here
   * as any stream is; one not packaged yet is started and listed once it has segments), as {@link
   * dev.streamedge.dash.Manifest#render(java.util.List, java.util.List, int, String, long)} writes it, without its
   * closing; segment URLs are relative to {@code /dash/<app>/}. Empty as {@link #manifest} is. Rendered at each
   * call.
   */
  public Future<Optional<Buffer>> ladderManifest(StreamKey key, List<StreamKey> renditions) {
    if (!config.dash()) {
      return Future.succeededFuture(Optional.empty());
    }
    HlsSnapshot snapshot = snapshots.get(key);
    if (snapshot != null) {
      Optional<Buffer> made = ladder(snapshot, key, renditions);
      if (made.isPresent()) {
        return Future.succeededFuture(made);
      }
    }
    return whenPackaged(key, packager -> packager.snapshot().flatMap(source -> ladder(source, key, renditions)));
  }

  private Optional<Buffer> ladder(HlsSnapshot source, StreamKey key, List<StreamKey> renditions) {
    return DashLadder.render(snapshots, source, key, renditions, rendition -> playlist(rendition, HlsVariant.FMP4, ""));
  }

  /**
   * A DASH media segment of {@code key}: the video ({@code video}) or audio track alone of the kept segment
   * of run {@code initId} whose track starts at {@code time}; empty when no kept segment has it.
   */
  public Optional<Buffer> dashMedia(StreamKey key, long initId, long time, boolean video) {
    HlsSnapshot snapshot = config.dash() ? snapshots.get(key) : null;
    return snapshot == null ? Optional.empty() : snapshot.dashMedia(initId, time, video);
  }

  /** The DASH init segment of the video ({@code video}) or audio track of run {@code initId}, while kept. */
  public Optional<Buffer> dashInit(StreamKey key, long initId, boolean video) {
    HlsSnapshot snapshot = config.dash() ? snapshots.get(key) : null;
    return snapshot == null ? Optional.empty() : snapshot.dashInit(initId, video);
  }

  /**
   * What {@code render} makes of {@code key}'s packager once its first segment exists (it is started when the
   * stream is live here or elsewhere); empty when the stream is not live or the wait is over.
   */
  private Future<Optional<Buffer>> whenPackaged(StreamKey key, Function<HlsPackager, Optional<Buffer>> render) {
    Context caller = Vertx.currentContext();
    boolean live = registry.isLive(key);
    // A stream published on another node is packaged here on demand: the packager's subscription
    // makes this node pull it, and an idle stop ends the pull.
    boolean elsewhere = !live && registry.isPublishedElsewhere(key);
    return onContextOf(key, local -> {
          HlsPackager packager = local.get(key);
          if (packager == null && (live || elsewhere)) {
            packager = packagerFor(key, local, elsewhere || config.onDemand(key.app()));
          }
          if (packager == null) {
            return Future.succeededFuture(Optional.<Buffer>empty());
          }
          packager.touch();
          HlsPackager ready = packager;
          return waitReady(ready).map(ok -> render.apply(ready));
        }).compose(Function.identity())
        .transform(done -> EventLoops.backTo(caller, done.result()));
  }

  /** Tells which streams share a ladder, for EXT-X-RENDITION-REPORT; {@link HlsLadder#NONE} until set. */
  public void ladder(HlsLadder ladder) {
    this.ladder = ladder;
    reports.ladder(ladder);
    dates.ladder(ladder);
  }

  /**
   * The LL-HLS playlist of {@code key}, answered when it has segment {@code msn} (-1: at once) and
   * part {@code part} of it (-1: the whole segment); see {@link BlockedRequests#playlist}. 404 when
   * the stream is not live or no segment came within {@code hls.first-segment-wait}. When {@code key} is
   * one of a ladder, the answer ends with an EXT-X-RENDITION-REPORT for each sibling packaged on this node,
   * as far as it is when the answer goes (RFC 8216bis §4.4.5.4; also on blocking and delta answers), its URI
   * {@code reportPrefix + <sibling>/ll.m3u8}.
   */
  public Future<HlsReply> lowLatencyPlaylist(StreamKey key, String segmentPrefix, String reportPrefix, long msn,
      int part, boolean skip) {
    Context caller = Vertx.currentContext();
    boolean live = registry.isLive(key);
    boolean elsewhere = !live && registry.isPublishedElsewhere(key);
    return onContextOf(key, local -> {
          HlsPackager packager = local.get(key);
          if (packager == null && (live || elsewhere)) {
            packager = packagerFor(key, local, elsewhere || config.onDemand(key.app()));
          }
          if (packager == null) {
            return Future.succeededFuture(HlsReply.NOT_FOUND);
          }
          packager.touch();
          HlsPackager ready = packager;
          return waitReady(ready).compose(ok -> {
            if (!ok) {
              return Future.succeededFuture(HlsReply.NOT_FOUND);
            }
            Promise<HlsReply> reply = Promise.promise();
            ready.lowLatencyPlaylist(msn, part, segmentPrefix, skip, reply);
            return reply.future();
          });
        }).compose(Function.identity())
        .transform(done -> EventLoops.backTo(caller, done.succeeded() ? withReports(key, reportPrefix, done.result())
            : HlsReply.NOT_FOUND));
  }

  /** {@code reply} with the rendition reports of {@code key}'s siblings after it; a new buffer (replies are shared). */
  private HlsReply withReports(StreamKey key, String reportPrefix, HlsReply reply) {
    if (reply.status() != 200) {
      return reply;
    }
    String lines = reports.render(key, reportPrefix);
    if (lines.isEmpty()) {
      return reply;
    }
    return HlsReply.ok(Buffer.buffer(reply.body().length() + lines.length()).appendBuffer(reply.body())
        .appendString(lines));
  }

  /** An LL-HLS part of {@code key}; the next one (EXT-X-PRELOAD-HINT) is answered once it exists. */
  public Future<HlsReply> part(StreamKey key, long number) {
    HlsSnapshot snapshot = snapshots.get(key);
    Optional<HlsPart> made = snapshot == null ? Optional.empty() : snapshot.part(number);
    if (made.isPresent()) {
      return Future.succeededFuture(HlsReply.ok(made.get().data()));
    }
    Context caller = Vertx.currentContext();
    return onContextOf(key, local -> {
          HlsPackager packager = local.get(key);
          Promise<HlsReply> reply = Promise.promise();
          if (packager == null) {
            reply.complete(HlsReply.NOT_FOUND);
          } else {
            packager.touch();
            packager.part(number, reply);
          }
          return reply.future();
        }).compose(Function.identity())
        .transform(done -> EventLoops.backTo(caller, done.succeeded() ? done.result() : HlsReply.NOT_FOUND));
  }

  /** What the seed URLs of {@code app} serve ({@code hls.variant}). */
  public HlsVariant seedVariant(String app) {
    return apps.seedVariant(app);
  }

  /**
   * Whether {@code app}'s HLS is encrypted ({@code hls.keys}): its MPEG-TS segments are, and its fMP4, LL-HLS
   * and DASH forms, which are not, are not served.
   */
  public boolean encrypted(String app) {
    return apps.encrypted(app);
  }

  /**
   * The AES-128 key {@code id} of {@code key}'s MPEG-TS segments, while a kept segment is encrypted with it: from
   * the stream's last snapshot, which has every segment a playlist lists.
   */
  public Optional<Buffer> key(StreamKey key, long id) {
    HlsSnapshot snapshot = snapshots.get(key);
    return snapshot == null ? Optional.empty() : snapshot.key(id);
  }

  /** LL-HLS requests parked now, over all streams of the node. */
  public int blockedRequests() {
    return blocked.get();
  }

  /** One segment of {@code key}, while it is in the playlist or among the kept segments. */
  public Future<Optional<HlsSegment>> segment(StreamKey key, long sequence) {
    HlsSnapshot snapshot = snapshots.get(key);
    Optional<HlsSegment> made = snapshot == null ? Optional.empty() : snapshot.segment(sequence);
    if (made.isPresent()) {
      return Future.succeededFuture(made);
    }
    Context caller = Vertx.currentContext();
    return onContextOf(key, local -> {
      HlsPackager packager = local.get(key);
      if (packager == null) {
        return Optional.<HlsSegment>empty();
      }
      packager.touch();
      return packager.segment(sequence);
    }).transform(done -> EventLoops.backTo(caller, done.result()));
  }

  /** An fMP4 init segment of {@code key}, while a kept segment refers to it. */
  public Future<Optional<Buffer>> init(StreamKey key, long id) {
    HlsSnapshot snapshot = snapshots.get(key);
    Optional<Buffer> made = snapshot == null ? Optional.empty() : snapshot.init(id);
    if (made.isPresent()) {
      return Future.succeededFuture(made);
    }
    Context caller = Vertx.currentContext();
    return onContextOf(key, local -> {
      HlsPackager packager = local.get(key);
      if (packager == null) {
        return Optional.<Buffer>empty();
      }
      packager.touch();
      return packager.init(id);
    }).transform(done -> EventLoops.backTo(caller, done.result()));
  }

  private Future<Boolean> waitReady(HlsPackager packager) {
    Promise<Boolean> ready = Promise.promise();
    packager.whenReady(ready);
    long waitMs = config.firstSegmentWait().toMillis();
    if (waitMs > 0 && !ready.future().isComplete()) {
      long timer = Vertx.currentContext().owner().setTimer(waitMs, id -> ready.tryComplete(false));
      ready.future().onComplete(v -> Vertx.currentContext().owner().cancelTimer(timer));
    } else {
      ready.tryComplete(false);
    }
    return ready.future();
  }

  private HlsPackager packagerFor(StreamKey key, Map<StreamKey, HlsPackager> local, boolean onDemand) {
    HlsPackager existing = local.get(key);
    if (existing != null) {
      return existing;
    }
    // Media sequence numbers start at the wall clock in tenths of a second: a packager that starts
    // again later (after an idle stop or a long unpublish) still only ever counts up (RFC 8216 §6.2.1),
    // since no packager makes ten segments a second.
    HlsMuxer muxer = new HlsMuxer(config.targetDuration(), config.partTarget(), config.playlistLength(),
        config.keptSegments(), config.maxSegmentSize().bytes(), System.currentTimeMillis() / 100, config.dash());
    if (encrypted(key.app())) {
      muxer.encryptTs(config.fragmentsPerKey());
    }
    ProgramDates.Clock clock = dates.acquire(key);
    muxer.programDates(clock);
    // Only a ladder's switches need the audio cut where the keyframe is shown; a single stream's segment
    // ends when its keyframe arrives, its composition offset (80 ms with two B-frames at 25 fps) sooner.
    muxer.alignAudioCuts(() -> !ladder.siblings(key).isEmpty());
    HlsPackager packager = new HlsPackager(Vertx.currentContext(), key, muxer, onDemand, meters, blocked,
        config.maxBlockedRequests(), reports, snapshots, files, clock::release);
    local.put(key, packager);
    packager.start(registry.subscribe(key, packager));
    LOG.info("hls start stream={} mode={}", key, onDemand ? "on-demand" : "from publish");
    return packager;
  }

  /**
   * The node is closing: every kept segment's file goes (once no response sends it) instead of waiting for
   * the garbage collector to close what the packagers held. Completes when every HLS context has done so.
   */
  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>(contexts.length);
    for (int i = 0; i < contexts.length; i++) {
      Map<StreamKey, HlsPackager> local = packagers.get(i);
      Promise<Void> done = Promise.promise();
      contexts[i].runOnContext(v -> {
        local.values().forEach(HlsPackager::closeFiles);
        done.complete();
      });
      closed.add(done.future());
    }
    return Future.join(closed).mapEmpty();
  }

  private void stopIdle(Map<StreamKey, HlsPackager> local) {
    long now = System.nanoTime();
    long idleNanos = config.idleTimeout().toNanos();
    local.values().removeIf(packager -> {
      packager.checkStalled(now);
      if (packager.idle(now, idleNanos)) {
        packager.stop();
        LOG.info("hls stop stream={} reason=idle", packager.key());
        return true;
      }
      return false;
    });
  }

  private <T> Future<T> onContextOf(StreamKey key, Function<Map<StreamKey, HlsPackager>, T> action) {
    int index = Math.floorMod(key.hashCode(), contexts.length);
    Promise<T> promise = Promise.promise();
    contexts[index].runOnContext(v -> promise.complete(action.apply(packagers.get(index))));
    return promise.future();
  }
}
