package dev.streamedge.record;

import dev.streamedge.auth.CallbackMethod;
import dev.streamedge.config.RecordConfig;
import dev.streamedge.metrics.RecordMeters;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording for the node: starts a {@link Recorder} for each publish session of a recorded app (a
 * publisher on this node, not a relay from another, so a cluster records each session once, on its
 * origin), tells {@code record.on-record-done} of each finished file, and deletes files older than
 * {@code record.keep}. Recorders live on a few contexts of their own, chosen by stream key.
 */
public final class RecordService {

  private static final Logger LOG = LoggerFactory.getLogger(RecordService.class);
  private static final long KEEP_CHECK_MS = 60_000;

  private final Vertx vertx;
  private final RecordConfig config;
  private final RecordFormat format;
  private final RecordMeters meters;
  private final RecordingStore store;
  private final RecordDoneCallback callback;
  private final Context[] contexts;
  /** Names of the files being written now: the API shows them as such and will not delete them. */
  private final Set<RecordingName> writing = ConcurrentHashMap.newKeySet();
  /** The recording of each stream being recorded, at most one per live stream. */
  private final Map<StreamKey, Recorder> recording = new ConcurrentHashMap<>();
  private final StreamRegistry registry;
  /** Told of every complete file as well, after the callback (exec.record-done). */
  private volatile BiConsumer<StreamKey, Path> completed = (key, path) -> { };

  /**
   * @param callbackMethod how {@code record.on-record-done} is sent: {@code auth.callback.method}, as
   *     nginx-rtmp's notify_method
   */
  public RecordService(Vertx vertx, StreamRegistry registry, RecordConfig config, int contextCount,
      RecordMeters meters, CallbackMethod callbackMethod) {
    this.vertx = vertx;
    this.registry = registry;
    this.config = config;
    this.format = RecordFormat.of(config.format());
    this.meters = meters;
    this.store = new RecordingStore(vertx, Path.of(config.path()), writing);
    this.callback = new RecordDoneCallback(vertx, config.onRecordDone(), callbackMethod);
    this.contexts = new Context[contextCount];
    for (int i = 0; i < contextCount; i++) {
      contexts[i] = vertx.getOrCreateContext();
    }
    if (!config.enabled()) {
      return;
    }
    registry.onLive(key -> {
      if (config.records(key.app())) {
        // Always a new recording for a new session: the last session's may not have heard of its end yet
        // (it hears on its own context), and stops by itself when it does.
        start(key, true);
      }
    });
    if (!config.keep().isZero()) {
      contexts[0].runOnContext(v -> vertx.setPeriodic(KEEP_CHECK_MS, id -> store.removeOlderThan(config.keep())
          .onSuccess(removed -> {
            if (removed > 0) {
              LOG.info("record: removed {} recordings older than record.keep ({})", removed, config.keep());
            }
          })));
    }
    LOG.info("record: apps {} to {} as {}", config.apps(), store.root(), config.format());
  }

  /** The recordings on disk, for the API. */
  public RecordingStore store() {
    return store;
  }

  /**
   * Starts recording {@code key}; unless {@code anyway}, only when it is not being recorded. The recording,
   * or empty when it was being recorded.
   */
  private Optional<Recorder> start(StreamKey key, boolean anyway) {
    Context context = contexts[Math.floorMod(key.hashCode(), contexts.length)];
    Recorder recorder = new Recorder(context, key, this);
    if (anyway) {
      recording.put(key, recorder);
    } else if (recording.putIfAbsent(key, recorder) != null) {
      return Optional.empty();
    }
    context.runOnContext(v -> recorder.start(registry.subscribe(key, recorder)));
    return Optional.of(recorder);
  }

  /**
   * nginx-rtmp's {@code /control/record/start}: records the live stream {@code key} of this node, whether
   * its app is in {@code record.apps} or not; the path of the file it writes to, or empty when it was being
   * recorded already. Fails when the stream is not live here.
   */
  public Future<Optional<Path>> startRecording(StreamKey key) {
    if (!registry.isLive(key)) {
      return Future.failedFuture("No publisher");
    }
    return start(key, false).map(recorder -> recorder.firstFile().map(Optional::of))
        .orElseGet(() -> Future.succeededFuture(Optional.empty()));
  }

  /**
   * nginx-rtmp's {@code /control/record/stop}: stops the recording of {@code key}, automatic or not, until
   * its next publish; the path of the file it was writing, or empty when it was not being recorded.
   */
  public Future<Optional<Path>> stopRecording(StreamKey key, String why) {
    Recorder recorder = recording.get(key);
    if (recorder == null) {
      return Future.succeededFuture(Optional.empty());
    }
    Promise<Optional<Path>> stopped = Promise.promise();
    recorder.context().runOnContext(v -> stopped.complete(recorder.stopAndTell(why)));
    return stopped.future();
  }

  /** {@code recorder} stopped: the stream may be recorded again. On any context. */
  void ended(Recorder recorder) {
    recording.remove(recorder.key(), recorder);
  }

  RecordConfig config() {
    return config;
  }

  RecordFormat format() {
    return format;
  }

  /**
   * The encoder of a new file. An fMP4 fragment is held in memory until it ends: a quarter of
   * {@code record.max-queued} ends it, so that it always fits in what may wait for the disk.
   */
  RecordingEncoder encoder() {
    return format.encoder(config.maxQueued().bytes() / 4);
  }

  Path path(RecordingName name) {
    return store.path(name);
  }

  RecordingFile open(RecordingName name, Consumer<String> failed) {
    writing.add(name);
    return RecordingFile.open(vertx, store.path(name), config.maxQueued().bytes(), meters, why -> {
      writing.remove(name);
      failed.accept(why);
    });
  }

  /** {@code name} is closed: it may be deleted now, and when it is complete the operator is told. */
  void done(RecordingName name, Path path, boolean complete) {
    writing.remove(name);
    if (complete) {
      callback.tell(name, path);
      completed.accept(new StreamKey(name.app(), name.key()), path);
    }
  }

  /** Who hears of each complete recording file, on the recording's context: set once, at start-up. */
  public void onCompleted(BiConsumer<StreamKey, Path> listener) {
    this.completed = listener;
  }

  void failed() {
    meters.failed();
  }
}
