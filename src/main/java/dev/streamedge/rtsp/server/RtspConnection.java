package dev.streamedge.rtsp.server;

import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.metrics.Refusal;
import dev.streamedge.net.EventLoopSocket;
import dev.streamedge.net.LoopFlushes;
import dev.streamedge.net.WireBuffers;
import dev.streamedge.net.WriteMerger;
import dev.streamedge.rtsp.InterleavedFrame;
import dev.streamedge.rtsp.MessageBuffer;
import dev.streamedge.rtsp.RtspDecoder;
import dev.streamedge.rtsp.RtspFormatException;
import dev.streamedge.rtsp.RtspMessage;
import dev.streamedge.rtsp.RtspRequest;
import dev.streamedge.rtsp.RtspResponse;
import dev.streamedge.rtsp.RtspTarget;
import dev.streamedge.session.Client;
import dev.streamedge.session.ClientInfo;
import dev.streamedge.session.ClientRole;
import dev.streamedge.session.Protocol;
import dev.streamedge.stream.StreamNames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP client's connection (RFC 2326): requests read one at a time and answered in order; a player's session
 * ({@link RtspPlay}: DESCRIBE, SETUP, PLAY) or a publisher's ({@link RtspPublish}: ANNOUNCE, SETUP, RECORD), its
 * tracks on interleaved channels of this connection (§10.12). A malformed or oversized request is answered 400
 * (505 for another RTSP version) and closes the connection; a request that must wait (DESCRIBE, ANNOUNCE, RECORD:
 * auth, the stream) holds the ones after it. On the connection's context.
 */
final class RtspConnection implements Client {

  private static final Logger LOG = LoggerFactory.getLogger(RtspConnection.class);
  private static final RateLimitedLog BAD_LOG = RateLimitedLog.of(LOG, "bad request");
  private static final String PUBLIC =
      "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER";
  /** The session timeout announced (§12.37): clients that keep sessions alive send a request within it. */
  static final int SESSION_TIMEOUT_SECONDS = 60;

  /**
   * NEW until a DESCRIBE or ANNOUNCE was answered; a player is then READY with tracks described (and maybe set up),
   * then PLAYING; a publisher is ANNOUNCED (its tracks set up meanwhile), then RECORDING; CLOSED.
   */
  enum State { NEW, DESCRIBING, READY, PLAYING, ANNOUNCING, ANNOUNCED, RECORDING, CLOSED }

  private final RtspServer server;
  private final EventLoopSocket socket;
  private final LoopFlushes flushes;
  /** Where media goes, merged per event-loop turn; set at start. */
  private WriteMerger merger;
  private final Context context;
  private final String address;
  private final MessageBuffer received;
  private final IdleWatch idle;
  private final long connectedAtMillis = System.currentTimeMillis();
  private final String session = SessionIds.next();
  private State state = State.NEW;
  /** A request is being answered asynchronously: the ones after it wait. */
  private boolean busy;
  private final RtspPlay play;
  private RtspPublish publish;
  private long clientId = -1;
  private long bytesIn;

  RtspConnection(RtspServer server, EventLoopSocket socket, Context context, LoopFlushes flushes) {
    this.server = server;
    this.socket = socket;
    this.flushes = flushes;
    this.context = context;
    this.address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().toString();
    int maxRequest = (int) server.config().maxRequestSize().bytes();
    this.received = new MessageBuffer(new RtspDecoder(maxRequest, maxRequest));
    this.idle = new IdleWatch(context.owner(), server.config().idleTimeout().toMillis(), why -> {
      server.metrics().refused(Refusal.IDLE_TIMEOUT);
      close(why);
    });
    this.play = new RtspPlay(server, this, context, address, session);
  }

  void start() {
    socket.setWriteQueueMaxSize((int) server.player().socketWriteBuffer().bytes());
    socket.handler(this::received);
    socket.closeHandler(v -> closed("the client closed the connection"));
    socket.exceptionHandler(error -> LOG.debug("rtsp {}: {}", address, error.toString()));
    merger = WriteMerger.install(socket, play::drain, flushes);
    armIdle();
  }

  private void received(Buffer data) {
    bytesIn += data.length();
    received.append(data.getBytes());
    readRequests();
  }

  /** Answers every whole request received, in order, until one must wait. */
  private void readRequests() {
    while (!busy && state != State.CLOSED) {
      RtspMessage message;
      try {
        message = received.next();
      } catch (RtspFormatException bad) {
        BAD_LOG.info("rtsp {}: bad request, closing: {}", address, bad.getMessage());
        server.metrics().refused(Refusal.BAD_INPUT);
        answer(bad.status(), -1, List.of(), null);
        close("bad request");
        return;
      }
      if (message == null) {
        break;
      }
      if (message instanceof RtspRequest req) {
        armIdle();
        handle(req);
      } else if (message instanceof InterleavedFrame frame) {
        if (state == State.RECORDING) {
          publish.frame(frame, System.nanoTime() / 1_000_000);
        } else {
          armIdle(); // a player's RTCP receiver reports: it is there
        }
      }
    }
    received.compact();
  }

  private void handle(RtspRequest req) {
    switch (req.method()) {
      case "OPTIONS" -> answer(200, req.cseq(), List.of(Map.entry("Public", PUBLIC)), null);
      case "DESCRIBE" -> describe(req);
      case "ANNOUNCE" -> announce(req);
      case "SETUP" -> setup(req);
      case "PLAY" -> {
        if (sessionMatches(req)) {
          play.play(req, merger);
          if (state == State.PLAYING) {
            idle.cancel(); // a player's liveness is its socket's: a dead one stops taking writes
          }
        }
      }
      case "RECORD" -> record(req);
      case "PAUSE" -> {
        if (sessionMatches(req)) {
          // a publisher's PAUSE changes nothing: it sends or it does not
          play.pause();
          armIdle();
          answer(200, req.cseq(), sessionHeader(), null);
        }
      }
      case "TEARDOWN" -> {
        answer(200, req.cseq(), List.of(Map.entry("Session", session)), null);
        close("teardown");
      }
      case "GET_PARAMETER", "SET_PARAMETER" -> answer(200, req.cseq(), sessionHeader(), null);
      default -> answer(405, req.cseq(), List.of(Map.entry("Allow", PUBLIC)), null);
    }
  }

  private void describe(RtspRequest req) {
    RtspTarget target = target(req);
    if (target == null) {
      return;
    }
    if (state != State.NEW) {
      answer(455, req.cseq(), List.of(), null); // one stream per connection
      return;
    }
    play.describe(req, target, host(), socket.localAddress() == null ? "0.0.0.0" : socket.localAddress().hostAddress());
  }

  private void setup(RtspRequest req) {
    if (state == State.ANNOUNCED) {
      // A publisher names its tracks with the control attributes of its own SDP (streamid=N, stream=N, trackID=N).
      if (sessionMatches(req)) {
        publish.setup(req, session);
      }
      return;
    }
    RtspTarget target = target(req);
    if (target != null && sessionMatches(req)) {
      play.setup(req, target);
    }
  }

  /** ANNOUNCE (§10.3): a publisher's SDP, auth asked; the requests after it wait for the answer. */
  private void announce(RtspRequest req) {
    RtspTarget target = target(req);
    if (target == null) {
      return;
    }
    if (state != State.NEW) {
      answer(455, req.cseq(), List.of(), null);
      return;
    }
    state = State.ANNOUNCING;
    publish = new RtspPublish(server, this, context, address);
    waitFor(publish.announce(req, target, host()), State.ANNOUNCED);
  }

  /** RECORD (§10.11): the stream claimed; then the interleaved frames are its media. */
  private void record(RtspRequest req) {
    if (!sessionMatches(req)) {
      return;
    }
    if (state != State.ANNOUNCED || !publish.anySetUp()) {
      answer(455, req.cseq(), List.of(), null);
      return;
    }
    if (register(req)) {
      state = State.ANNOUNCING;
      waitFor(publish.record(req, session), State.RECORDING);
    }
  }

  /** Holds the requests after this one until {@code answered}; then the state is {@code next}, or back to before. */
  private void waitFor(Future<Boolean> answered, State next) {
    State before = next == State.ANNOUNCED ? State.NEW : State.ANNOUNCED;
    hold();
    answered.onComplete(done -> {
      if (state == State.CLOSED) {
        return;
      }
      state = done.succeeded() && done.result() ? next : before;
      if (state == State.NEW) {
        publish = null;
      } else if (state == State.RECORDING) {
        idle.receiving(() -> bytesIn);
      }
      resume();
    });
  }

  // ---- what the player's and the publisher's sides use ----

  State state() {
    return state;
  }

  void state(State next) {
    state = next;
  }

  /** Holds the requests after the one being answered: what comes meanwhile waits in the kernel, not here. */
  void hold() {
    busy = true;
    socket.doPause();
  }

  /** Reads the requests held (on a later turn of the loop). */
  void resume() {
    busy = false;
    socket.doResume();
    context.runOnContext(v -> readRequests());
  }

  /** Registers the client for the API once: false (503 answered, closed) when the node's clients are at their limit. */
  boolean register(RtspRequest req) {
    if (clientId < 0 && (clientId = server.clients().add(this)) < 0) {
      answer(503, req.cseq(), List.of(), null);
      close("the node's clients are at their limit");
      return false;
    }
    return true;
  }

  void answer(int status, int cseq, List<Map.Entry<String, String>> headers, byte[] body) {
    if (state == State.CLOSED) {
      return;
    }
    List<Map.Entry<String, String>> all = new ArrayList<>(headers.size() + 1);
    all.add(Map.entry("Server", "streamedge"));
    all.addAll(headers);
    socket.write(WireBuffers.wrap(RtspResponse.encode(status, cseq, all, body == null ? new byte[0] : body)));
  }

  // ---- helpers ----

  /** The request's target, or null when it was answered 400 (or 404 for a name no stream can have). */
  private RtspTarget target(RtspRequest req) {
    try {
      RtspTarget target = RtspTarget.parse(req.uri());
      if (!StreamNames.valid(target.app()) || !StreamNames.valid(target.name())) {
        answer(404, req.cseq(), List.of(), null);
        return null;
      }
      return target;
    } catch (RtspFormatException bad) {
      answer(400, req.cseq(), List.of(), null);
      return null;
    }
  }

  /** A request naming another session is answered 454 (§11.3.12); one naming none is taken as this one's. */
  private boolean sessionMatches(RtspRequest req) {
    if (!SessionIds.names(req, session)) {
      answer(454, req.cseq(), List.of(), null);
      return false;
    }
    return true;
  }

  private List<Map.Entry<String, String>> sessionHeader() {
    return state == State.NEW ? List.of() : List.of(Map.entry("Session", session));
  }

  private String host() {
    return socket.remoteAddress() == null ? "" : socket.remoteAddress().hostAddress();
  }

  /** A request came: a connection neither playing nor recording must send its next within the idle timeout. */
  private void armIdle() {
    if (state != State.PLAYING && state != State.RECORDING && state != State.CLOSED) {
      idle.request();
    }
  }

  /** Closes the connection, once, with what was written before going out first. */
  void close(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    socket.close();
    // Vert.x's close waits until what was written went out, which a client that reads nothing never lets
    // happen: its socket and buffers would outlive the connection.
    merger.closeWithin(server.player().maxBehind());
    closed(reason);
  }

  private void closed(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    idle.cancel();
    if (publish != null) {
      publish.end(reason);
    }
    play.end(reason);
    if (clientId >= 0) {
      server.clients().remove(clientId);
    }
    server.open().decrementAndGet();
  }

  // ---- the API's view ----

  @Override
  public Context context() {
    return context;
  }

  @Override
  public ClientInfo info() {
    if (publish != null) {
      return new ClientInfo(clientId, Protocol.RTSP.label(), ClientRole.PUBLISHER, address, publish.key(),
          connectedAtMillis, bytesIn, 0, "", 0);
    }
    return new ClientInfo(clientId, Protocol.RTSP.label(), ClientRole.PLAYER, address, play.key(), connectedAtMillis,
        bytesIn, play.bytesOut(), "", play.dropped());
  }

  @Override
  public void kick(String reason) {
    context.runOnContext(v -> close(reason));
  }
}
