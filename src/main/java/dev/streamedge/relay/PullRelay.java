package dev.streamedge.relay;

import dev.streamedge.config.RelayConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.media.MediaKind;
import dev.streamedge.metrics.PullMeters;
import dev.streamedge.rtmp.ProtocolException;
import dev.streamedge.rtmp.client.RtmpPlayClient;
import dev.streamedge.rtmp.message.DataMessage;
import dev.streamedge.rtmp.message.MessageType;
import dev.streamedge.stream.PublishSession;
import dev.streamedge.stream.StreamPublisher;
import dev.streamedge.stream.StreamRegistry;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import org.slf4j.LoggerFactory;

/**
 * One pull: plays its {@link PullSource} with the RTMP play client or over HTTP-FLV ({@link PullClients})
 * and publishes what comes as
 * a stream of this node, an ordinary one that every protocol plays. The stream is claimed at the
 * source's first media message (an idle source, such as an nginx-rtmp stream nobody publishes, makes no
 * stream here), and its session ends when the source tells NetStream.Play.UnpublishNotify or the
 * connection drops (an HTTP-FLV source ends its answer when its stream ends). A dropped, refused or silent connection is tried again with the backoff of
 * {@code relay.reconnect-min} to {@code relay.reconnect-max}. Lives on its own event-loop context.
 */
final class PullRelay implements StreamPublisher {

  /** Messages held while the stream is claimed, a matter of milliseconds: headers and the first frames. */
  private static final int MAX_HELD = 256;
  private static final String UNPUBLISH_NOTIFY = "NetStream.Play.UnpublishNotify";
  private static final RateLimitedLog LOG = RateLimitedLog.of(LoggerFactory.getLogger(PullRelay.class), "pull");

  /** A media message held while the claim is on its way. */
  private record Held(int typeId, long timestamp, ByteBuf payload) {
  }

  private final Vertx vertx;
  private final Context context;
  private final StreamRegistry registry;
  private final PullSource source;
  private final RelayConfig config;
  private final PullClients clients;
  private final PullMeters meters;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private PullConnection client;
  private PublishSession session;
  private boolean claiming;
  private int attempt;
  private long backoffMillis;
  private volatile String state = "connecting";
  private volatile long reconnects;
  private volatile long messages;
  private volatile String lastError = "";
  /** Set once, on the relay's context, by {@link #stop}: no connection is made after it. */
  private volatile boolean stopped;
  private boolean onDemand;
  private String metersLabel;
  private long lingerTimer = -1;

  PullRelay(Vertx vertx, Context context, StreamRegistry registry, PullSource source, RelayConfig config,
      PullClients clients, PullMeters meters) {
    this.vertx = vertx;
    this.context = context;
    this.registry = registry;
    this.source = source;
    this.config = config;
    this.clients = clients;
    this.meters = meters;
    this.backoffMillis = config.reconnectMin().toMillis();
  }

  /** Connects; on the relay's context. */
  void start() {
    connect();
  }

  Context context() {
    return context;
  }

  PullSource source() {
    return source;
  }

  /**
   * Marks it an on-demand pull, as the API shows it, counted under {@code metersLabel}; before
   * {@link #start}.
   */
  PullRelay onDemand(String metersLabel) {
    this.onDemand = true;
    this.metersLabel = metersLabel;
    return this;
  }

  /** The label of the meters an on-demand pull counts under, for the pull that takes over from it. */
  String metersLabel() {
    return metersLabel;
  }

  /** Whether {@link #stop} ran: any thread. */
  boolean stopped() {
    return stopped;
  }

  /**
   * A viewer came again: the linger is off. On the relay's context. Returns false when the pull has
   * stopped already (the linger was over), so that the caller starts a new one.
   */
  boolean wanted() {
    if (stopped) {
      return false;
    }
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
      state = session != null ? "publishing" : client != null ? "playing" : state;
    }
    return true;
  }

  /** The last viewer left: the pull stops after {@code linger}, then runs {@code then}. On its context. */
  void unwanted(long lingerMillis, Runnable then) {
    if (stopped || lingerTimer >= 0) {
      return;
    }
    state = "lingering";
    // A timer set on this context fires on it (Vert.x runs a timer on the context that set it).
    lingerTimer = vertx.setTimer(Math.max(1, lingerMillis), id -> {
      lingerTimer = -1;
      stop("no viewer for " + lingerMillis + " ms");
      then.run();
    });
  }

  /** Ends the pull for good: the stream here ends, the connection closes, no retry follows. On its context. */
  void stop(String why) {
    stopped = true;
    attempt++;
    endSession();
    if (client != null) {
      client.close();
      client = null;
    }
    state = "stopped";
    LOG.info("pull {}/{} from {}: stopped, {}", source.key().app(), source.key().name(), source.label(), why);
  }

  PullState snapshot() {
    return new PullState(source.key().app(), source.key().name(), source.label(), onDemand, state, messages,
        reconnects, lastError);
  }

  private void connect() {
    if (stopped) {
      return;
    }
    state = "connecting";
    int number = ++attempt;
    long deadline = vertx.setTimer(config.connectTimeout().toMillis(), id -> {
      if (number == attempt && client == null) {
        dropped(number, "no play within " + config.connectTimeout().toMillis() + " ms");
      }
    });
    clients.play(source.url(), new Guarded(number)).onComplete(done -> {
      vertx.cancelTimer(deadline);
      if (number != attempt) {
        if (done.succeeded()) {
          done.result().close();
        }
      } else if (done.failed()) {
        dropped(number, Failures.describe(done.cause()));
      } else {
        client = done.result();
        if (lingerTimer < 0) {
          state = "playing";
        }
        backoffMillis = config.reconnectMin().toMillis();
        LOG.info("pull {}/{} from {}: playing", source.key().app(), source.key().name(), source.label());
      }
    });
  }

  private void dropped(int number, String reason) {
    if (number != attempt || stopped) {
      return;
    }
    attempt++;
    if (onDemand && session == null) {
      // Viewers wait for this pull: an HTTP-FLV player that got nothing yet gets its 404 now, and leaves.
      registry.unavailable(source.key());
    }
    endSession();
    if (client != null) {
      client.close();
      client = null;
    }
    lastError = reason;
    reconnects++;
    meters.reconnect();
    state = "waiting";
    long wait = backoffMillis;
    backoffMillis = Math.min(backoffMillis * 2, config.reconnectMax().toMillis());
    LOG.info("pull {}/{} from {}: {}; again in {} ms", source.key().app(), source.key().name(), source.label(),
        reason, wait);
    vertx.setTimer(wait, id -> connect());
  }

  private void endSession() {
    held.clear();
    claiming = false;
    if (session != null) {
      session.close();
      session = null;
    }
  }

  // ---- what the play client tells, for the current connection only (see Guarded) ----

  private void status(String code) {
    if (code.equals(UNPUBLISH_NOTIFY)) {
      // The source's publisher left: so does the stream here; the next media claims it again.
      endSession();
      state = "playing";
    } else if (code.startsWith("NetStream.Play.Failed") || code.equals("NetStream.Play.StreamNotFound")) {
      dropped(attempt, code);
    }
  }

  private void media(int typeId, long timestamp, ByteBuf payload) {
    messages = messages + 1;
    meters.message();
    if (session != null) {
      ingest(typeId, timestamp, payload);
      return;
    }
    if (typeId != MessageType.AUDIO && typeId != MessageType.VIDEO && !isMetadata(payload)) {
      // nginx-rtmp answers every play with |RtmpSampleAccess, publisher or not: no reason for a stream.
      return;
    }
    if (held.size() < MAX_HELD) {
      held.add(new Held(typeId, timestamp, payload));
    }
    if (!claiming) {
      claiming = true;
      int number = attempt;
      // An on-demand pull feeds the stream as a cluster edge's pull does (a relay): it gives way to a
      // publisher here, and the stream does not go live "by a publisher of this node", so HLS packages it
      // on request, not from publish, and no push or recording holds it: its viewers alone keep it.
      Future<PublishSession> claim = onDemand ? registry.relay(source.key(), this)
          : registry.publish(source.key(), this);
      claim.onComplete(done -> {
        if (number != attempt || !claiming) {
          if (done.succeeded() && done.result() != null) {
            done.result().close();
          }
          return;
        }
        claiming = false;
        if (done.failed() || done.result() == null) {
          dropped(number, "the stream is published here by another publisher");
          return;
        }
        session = done.result();
        if (lingerTimer < 0) {
          state = "publishing";
        }
        for (Held message = held.poll(); message != null; message = held.poll()) {
          ingest(message.typeId(), message.timestamp(), message.payload());
        }
      });
    }
  }

  private static boolean isMetadata(ByteBuf payload) {
    try {
      return DataMessage.unwrap(payload).metadata();
    } catch (ProtocolException e) {
      return false;
    }
  }

  private void ingest(int typeId, long timestamp, ByteBuf payload) {
    if (typeId == MessageType.AUDIO) {
      session.media(MediaKind.AUDIO, timestamp, payload);
    } else if (typeId == MessageType.VIDEO) {
      session.media(MediaKind.VIDEO, timestamp, payload);
    } else {
      try {
        DataMessage data = DataMessage.unwrap(payload);
        if (data.metadata()) {
          session.metadata(data.body());
        } else {
          session.media(MediaKind.DATA, timestamp, data.body());
        }
      } catch (ProtocolException e) {
        // A data message that is not AMF0 is nothing a player could read: left out, as the server does.
        LOG.info("pull {}/{}: data message left out: {}", source.key().app(), source.key().name(), e.getMessage());
      }
    }
  }

  // ---- the stream core's view of this publisher ----

  @Override
  public void kick(String reason) {
    context.runOnContext(v -> dropped(attempt, "kicked: " + reason));
  }

  @Override
  public String peer() {
    return source.label();
  }

  /** Passes on what one connection tells while it is the current one: a stale connection says nothing. */
  private final class Guarded implements RtmpPlayClient.Listener {

    private final int number;

    Guarded(int number) {
      this.number = number;
    }

    @Override
    public void status(String code) {
      if (number == attempt) {
        PullRelay.this.status(code);
      }
    }

    @Override
    public void media(int typeId, long timestamp, ByteBuf payload) {
      if (number == attempt) {
        PullRelay.this.media(typeId, timestamp, payload);
      }
    }

    @Override
    public void closed(String reason) {
      if (number == attempt) {
        PullRelay.this.dropped(number, reason);
      }
    }
  }
}
