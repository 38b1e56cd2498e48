package dev.streamedge.relay;

import dev.streamedge.config.PlayerConfig;
import dev.streamedge.config.RelayConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.MediaKind;
import dev.streamedge.media.MediaPacket;
import dev.streamedge.metrics.RelayMeters;
import dev.streamedge.rtmp.client.RtmpClientOptions;
import dev.streamedge.rtmp.client.RtmpPublishClient;
import dev.streamedge.rtmp.client.RtmpUrl;
import dev.streamedge.stream.MetaCache;
import dev.streamedge.stream.PlayerQueue;
import dev.streamedge.stream.StreamKey;
import dev.streamedge.stream.StreamRegistry;
import dev.streamedge.stream.StreamSubscriber;
import dev.streamedge.stream.Subscription;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * One stream pushed to one target: a subscriber of the stream that publishes it to the target with the
 * RTMP publish client. Each connection starts with the stream's metadata and sequence headers (kept in
 * a {@link MetaCache} as they come) and then media from the next keyframe on, so the target can decode
 * from its first frame. Media goes through a {@link PlayerQueue} of {@code relay.push-queue-max-bytes}
 * in front of the client's write queue: a target that is slow skips to the next keyframe as a slow
 * player does, and the publisher, the players and the other targets never wait for it. A target that
 * drops, refuses or does not answer within {@code relay.connect-timeout} is tried again after a backoff
 * that doubles from {@code relay.reconnect-min} to {@code relay.reconnect-max}.
 *
 * <p>Lives on its own event-loop context; the fields the API reads are volatile.
 */
final class PushRelay implements StreamSubscriber, PlayerQueue.Output, PlayerQueue.Events {

  /** Where the relay is; the API shows it. */
  enum State { CONNECTING, CONNECTED, WAITING, IDLE, STOPPED }

  /**
   * How long a relay whose publisher left keeps its subscription, so that a publisher that comes back
   * soon finds it; then it stops. The target's connection is closed at once either way.
   */
  static final long IDLE_STOP_MILLIS = 5000;

  private static final RateLimitedLog LOG = RateLimitedLog.of(LoggerFactory.getLogger(PushRelay.class), "push");

  private final Vertx vertx;
  private final Context context;
  private final StreamRegistry registry;
  private final StreamKey key;
  private final PushTarget target;
  private final RtmpUrl url;
  private final RelayConfig config;
  private final PlayerConfig player;
  private final RtmpClientOptions options;
  private final RelayMeters meters;
  private final Runnable onStopped;
  /** The push of one publish (the publish callback's): it stops when that publish ends. */
  private final boolean once;
  private final MetaCache headers = new MetaCache();
  private Subscription subscription;
  private RtmpPublishClient client;
  private PlayerQueue queue;
  /** After a (re)connect: nothing but configuration until a sync point, so the target can decode. */
  private boolean awaitingSync;
  /** Counts connection attempts: a callback of an earlier one finds a later number and does nothing. */
  private int attempt;
  private long backoffMillis;
  private long timer = -1;
  private long clientBytes;
  private volatile State state = State.CONNECTING;
  private volatile long bytesSent;
  private volatile long reconnects;
  private volatile long dropped;
  private volatile String lastError = "";
  private volatile long lastErrorAtMillis;
  private volatile long connectedAtMillis;

  PushRelay(Vertx vertx, Context context, StreamRegistry registry, StreamKey key, PushTarget target,
      RelayConfig config, PlayerConfig player, RtmpClientOptions options, RelayMeters meters, boolean once,
      Runnable onStopped) {
    this.vertx = vertx;
    this.context = context;
    this.registry = registry;
    this.key = key;
    this.target = target;
    this.url = target.urlFor(key);
    this.config = config;
    this.player = player;
    this.options = options;
    this.meters = meters;
    this.onStopped = onStopped;
    this.once = once;
    this.backoffMillis = config.reconnectMin().toMillis();
  }

  /** Subscribes and connects; on the relay's context. */
  void start() {
    subscription = registry.subscribe(key, this);
    connect();
  }

  /** Stops for good: closes the connection, leaves the stream. On the relay's context. */
  void stop() {
    if (state == State.STOPPED) {
      return;
    }
    disconnect();
    cancelTimer();
    state = State.STOPPED;
    if (subscription != null) {
      subscription.cancel();
    }
    onStopped.run();
  }

  /** A snapshot for the API, from any thread. */
  PushState snapshot() {
    return new PushState(key.app(), key.name(), target.label(), state.name().toLowerCase(Locale.ROOT),
        state == State.CONNECTED, bytesSent, reconnects, dropped, lastError, lastErrorAtMillis, connectedAtMillis);
  }

  boolean stopped() {
    return state == State.STOPPED;
  }

  private void connect() {
    state = State.CONNECTING;
    int number = ++attempt;
    RtmpPublishClient connecting = RtmpPublishClient.of(vertx, options, url,
        reason -> context.runOnContext(v -> dropped(number, reason)));
    long deadline = vertx.setTimer(config.connectTimeout().toMillis(), id -> {
      if (number == attempt && state == State.CONNECTING) {
        connecting.close();
        dropped(number, "no NetStream.Publish.Start within " + config.connectTimeout().toMillis() + " ms");
      }
    });
    connecting.start().onComplete(done -> {
      vertx.cancelTimer(deadline);
      if (number != attempt || state != State.CONNECTING) {
        connecting.close();
      } else if (done.failed()) {
        dropped(number, Failures.describe(done.cause()));
      } else {
        connected(connecting);
      }
    });
  }

  private void connected(RtmpPublishClient connected) {
    client = connected;
    clientBytes = 0;
    LOG.info("push {}/{} to {}: publishing", key.app(), key.name(), target.label());
    state = State.CONNECTED;
    connectedAtMillis = System.currentTimeMillis();
    backoffMillis = config.reconnectMin().toMillis();
    meters.connected();
    queue = new PlayerQueue(this, config.pushQueueMaxBytes().bytes(), player.queueMaxDelay().toNanos(),
        player.maxBehind().toNanos(), this);
    PlayerQueue current = queue;
    client.drainHandler(current::drain);
    List<MediaPacket> start = new ArrayList<>();
    headers.addTo(start);
    start.forEach(current::offer);
    awaitingSync = true;
  }

  /** Connection {@code number} ended or failed: try again after the backoff, unless it is stale. */
  private void dropped(int number, String reason) {
    if (number != attempt || state == State.STOPPED || state == State.IDLE) {
      return;
    }
    disconnect();
    lastError = reason;
    lastErrorAtMillis = System.currentTimeMillis();
    reconnects++;
    meters.reconnect();
    state = State.WAITING;
    long wait = backoffMillis;
    backoffMillis = Math.min(backoffMillis * 2, config.reconnectMax().toMillis());
    LOG.info("push {}/{} to {}: {}; again in {} ms", key.app(), key.name(), target.label(), reason, wait);
    timer = vertx.setTimer(wait, id -> {
      timer = -1;
      if (state == State.WAITING) {
        connect();
      }
    });
  }

  /** Closes the connection, if there is one, and makes any callback of it stale. */
  private void disconnect() {
    attempt++;
    if (client != null) {
      meters.disconnected();
      queue.close();
      client.close();
      client = null;
      queue = null;
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  // ---- the stream ----

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void attached(List<MediaPacket> startPackets, boolean live) {
    // The GOP among them goes nowhere: no connection is up yet, and each starts at a sync point.
    for (MediaPacket packet : startPackets) {
      packet(packet);
    }
    if (!live) {
      unpublished();
    }
  }

  @Override
  public void packet(MediaPacket packet) {
    if (packet.isConfig()) {
      headers.put(packet);
    }
    if (queue == null) {
      return;
    }
    if (awaitingSync) {
      if (!packet.isConfig() && !packet.isSync()) {
        return;
      }
      awaitingSync = packet.isConfig();
    }
    queue.offer(packet);
  }

  @Override
  public void published() {
    // A new session sends configurations of its own.
    headers.clear();
    if (state == State.IDLE) {
      cancelTimer();
      backoffMillis = config.reconnectMin().toMillis();
      connect();
    }
  }

  @Override
  public void unpublished() {
    if (state == State.STOPPED || state == State.IDLE) {
      return;
    }
    // The target's stream ends with ours, as nginx-rtmp's push does; what waits for the socket goes
    // first, as for a player.
    if (queue != null) {
      queue.flush();
    }
    disconnect();
    cancelTimer();
    if (once) {
      // The publish it was asked for is over; the next one is asked about anew.
      stop();
      return;
    }
    state = State.IDLE;
    timer = vertx.setTimer(IDLE_STOP_MILLIS, id -> {
      timer = -1;
      if (state == State.IDLE) {
        stop();
      }
    });
  }

  // ---- the queue's output: the client ----

  @Override
  public boolean full() {
    return client.writeQueueFull();
  }

  @Override
  public void write(MediaPacket packet) {
    long ts = packet.timestamp();
    if (packet.kind() == MediaKind.AUDIO) {
      client.sendAudio(ts, packet.body());
    } else if (packet.kind() == MediaKind.VIDEO) {
      client.sendVideo(ts, packet.body());
    } else if (packet.isConfig()) {
      client.sendMetadata(ts, packet.body());
    } else {
      client.sendData(ts, packet.body());
    }
    long now = client.bytesSent();
    long delta = now - clientBytes;
    clientBytes = now;
    bytesSent = bytesSent + delta;
    meters.sent(delta);
  }

  @Override
  public long writtenBytes() {
    return clientBytes;
  }

  /** Unknown for a client socket; the client's write queue bound and the queue's delay bound the lag. */
  @Override
  public long unackedBytes() {
    return 0;
  }

  /** The queue gave up on a target that stayed behind: drop the connection and start afresh. */
  @Override
  public void close(String reason) {
    dropped(attempt, reason);
  }

  // ---- what the queue reports ----

  @Override
  public void firstFrame(long nanos) {
  }

  @Override
  public void framesDropped(long frames) {
    dropped = dropped + frames;
    meters.dropped(frames);
  }

  @Override
  public void closedBehind() {
  }
}
