package dev.streamedge.thumbnail;

import dev.streamedge.config.ThumbnailConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.ThumbnailMeters;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A live stream's thumbnail on request: its next keyframe ({@link KeyframeGrab}, at once from the GOP cache) made a
 * JPEG by ffmpeg ({@link JpegMaker}). Each stream's last one is served for {@code thumbnail.max-age}, and requests
 * that come while it is being made wait for the same one; at most {@code thumbnail.max-processes} are made at
 * once, the rest get their stream's older picture if it has one, else are refused (503) rather than queued; {@code thumbnail.max-cached} streams' pictures are kept, the
 * least recently asked for dropped first. Its state lives on an event-loop context of its own; ffmpeg runs on
 * worker threads. Closing refuses new requests and waits for the pictures being made (each ends within {@code
 * thumbnail.timeout}, its ffmpeg killed then), so that no job finishes after the node's Vert.x has closed.
 */
public final class ThumbnailService {

  private static final RateLimitedLog LOG = RateLimitedLog.of(LoggerFactory.getLogger(ThumbnailService.class),
      "thumbnail");
  /** The least ffmpeg is given, whatever the wait for the keyframe left of the timeout. */
  private static final long MIN_FFMPEG_MILLIS = 500;

  private final Vertx vertx;
  private final Context context;
  private final StreamRegistry registry;
  private final ThumbnailConfig config;
  private final List<String> command;
  private final WorkerExecutor workers;
  /**
   * Writes each ffmpeg's input beside the worker that reads its output: plain JDK threads, since nothing waits
   * for the write's outcome (a Vert.x worker would hand it back to an event loop that may be closed by then).
   */
  private final ThreadPoolExecutor writer;
  private final Map<StreamKey, Made> cache;
  private final ThumbnailMeters meters;
  private int making;
  /** Set by {@link #close}: completed once no picture is being made. */
  private Promise<Void> closed;

  /** A stream's thumbnail, made or being made, and since when. */
  private record Made(Future<Buffer> picture, long startedNanos) {
  }

  public ThumbnailService(Vertx vertx, StreamRegistry registry, ThumbnailConfig config, String ffmpeg,
      ThumbnailMeters meters) {
    this.vertx = vertx;
    this.meters = meters;
    this.context = ((VertxInternal) vertx).createEventLoopContext();
    this.registry = registry;
    this.config = config;
    this.command = JpegMaker.command(ffmpeg, config.width());
    // Two threads per process: one writes its input while the other reads its output. At most max-processes
    // run at once (lookup), so neither pool queues more than that.
    this.workers = vertx.createSharedWorkerExecutor("streamedge-thumbnail", config.maxProcesses());
    this.writer = new ThreadPoolExecutor(config.maxProcesses(), config.maxProcesses(), 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(config.maxProcesses()), task -> {
          Thread thread = new Thread(task, "streamedge-thumbnail-writer");
          thread.setDaemon(true);
          return thread;
        });
    writer.allowCoreThreadTimeOut(true);
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<StreamKey, Made> eldest) {
        return size() > config.maxCached();
      }
    };
  }

  public boolean enabled() {
    return config.enabled();
  }

  public ThumbnailConfig config() {
    return config;
  }

  /** The JPEG of {@code key}'s last keyframe, or a {@link ThumbnailRefusal}. From any thread. */
  public Future<Buffer> thumbnail(StreamKey key) {
    Promise<Buffer> answer = Promise.promise();
    context.runOnContext(v -> lookup(key).onComplete(done -> {
      if (done.succeeded()) {
        meters.served();
      } else {
        meters.refused();
      }
      answer.handle(done);
    }));
    return answer.future();
  }

  private Future<Buffer> lookup(StreamKey key) {
    long now = System.nanoTime();
    Made cached = cache.get(key);
    if (cached != null && (!cached.picture().isComplete() || now - cached.startedNanos() < config.maxAge().toNanos())) {
      return cached.picture();
    }
    if (closed != null) {
      return Future.failedFuture(new ThumbnailRefusal(503, "the node is shutting down"));
    }
    if (!registry.isAvailable(key)) {
      return Future.failedFuture(new ThumbnailRefusal(404, key + " is not live on this node or in its cluster"));
    }
    if (making >= config.maxProcesses()) {
      if (cached != null && cached.picture().succeeded()) {
        return cached.picture(); // older than max-age, but better than a refusal while ffmpeg is busy
      }
      return Future.failedFuture(new ThumbnailRefusal(503, "thumbnail.max-processes (" + config.maxProcesses()
          + ") thumbnails are being made"));
    }
    making++;
    Promise<Buffer> picture = Promise.promise();
    Made made = new Made(picture.future(), now);
    cache.put(key, made);
    make(key, now).onComplete(done -> {
      making--;
      if (done.failed()) {
        cache.remove(key, made); // the next request tries again
        LOG.info("thumbnail: none for stream={}: {}", key, done.cause().getMessage());
      } else {
        meters.made();
      }
      picture.handle(done);
      // After the picture is handed on: its answer is queued on the HTTP event loop before a closing node's
      // Vert.x closes the connection it goes out on.
      if (making == 0 && closed != null) {
        closed.tryComplete();
      }
    });
    return picture.future();
  }

  /** An audio-only stream of this node is refused at once rather than after the timeout. */
  private Future<Buffer> make(StreamKey key, long startedNanos) {
    return onContext(registry.info(key)).compose(info -> {
      if (info.isPresent() && info.get().codecs().video().isEmpty() && !info.get().codecs().audio().isEmpty()) {
        return Future.failedFuture(new ThumbnailRefusal(404, key + " has no video"));
      }
      return grabAndMake(key, startedNanos);
    });
  }

  private Future<Buffer> grabAndMake(StreamKey key, long startedNanos) {
    long timeoutMillis = config.timeout().toMillis();
    KeyframeGrab grab = new KeyframeGrab(context, config.maxSize().bytes());
    grab.start(registry.subscribe(key, grab));
    long timer = vertx.setTimer(timeoutMillis, id -> grab.abandon(
        new ThumbnailRefusal(504, "no video keyframe within thumbnail.timeout")));
    grab.flv().onComplete(done -> vertx.cancelTimer(timer));
    return onContext(grab.flv().compose(flv -> {
      long left = Math.max(MIN_FFMPEG_MILLIS, timeoutMillis - (System.nanoTime() - startedNanos) / 1_000_000);
      return workers.executeBlocking(() -> Buffer.buffer(
          JpegMaker.make(command, flv, config.maxSize().bytes(), left, writer)), false);
    }));
  }

  /** {@code future}'s outcome, handed on on this service's context, where its state lives. */
  private <T> Future<T> onContext(Future<T> future) {
    Promise<T> back = Promise.promise();
    future.onComplete(done -> context.runOnContext(v -> back.handle(done)));
    return back.future();
  }

  /**
   * Refuses new requests (503), waits for the pictures being made (at most {@code thumbnail.timeout} and a
   * second), then stops the threads.
   */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closed = Promise.promise();
      if (making == 0) {
        closed.complete();
      }
      long timer = vertx.setTimer(config.timeout().toMillis() + 1000, id -> closed.tryComplete());
      closed.future().onComplete(all -> {
        vertx.cancelTimer(timer);
        writer.shutdownNow();
        workers.close().onComplete(stopped -> done.complete());
      });
    });
    return done.future();
  }
}
